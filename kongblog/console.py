"""What ``scrapy crawl`` prints on a console: the start, progress, warnings and the summary last.

Scrapy's banner, settings, components and stats dump (INFO) stay in a log file (``LOG_FILE``, as on Scrapyd) and
show at ``LOG_LEVEL=DEBUG``. Otherwise the crawl command asks Scrapy for no root handler
(``LOG_INSTALL_ROOT_HANDLER``: its banner, logged before the command runs, goes nowhere) and installs this one.
"""

from __future__ import annotations

import logging
import sys

# Scrapy's set-up and wind-down chatter: what ran and with which settings, not what the crawl did.
QUIET_LOGGERS = ("scrapy.utils.log", "scrapy.addons", "scrapy.middleware", "scrapy.crawler", "scrapy.core.engine",
                 "scrapy.extensions.logstats", "scrapy.extensions.telnet", "scrapy.extensions.feedexport",
                 "scrapy.statscollectors")  # fmt: skip
HOLD_LIMIT = 200  # records held while the site has not answered, past which they are shown anyway


def quiet(settings) -> bool:
    """Whether this crawl logs to a console at INFO or above (no log file, not DEBUG)."""
    level = logging.getLevelName(str(settings.get("LOG_LEVEL")).upper())
    return settings.getbool("LOG_ENABLED") and not settings.get("LOG_FILE") and level in range(11, 60)


def shown(record: logging.LogRecord) -> bool:
    """Warnings, kongblog's own lines, and Scrapy's answer to Ctrl-C ("Received SIGINT, shutting down
    gracefully"): a person who pressed it must see that it was heard."""
    return (record.levelno >= logging.WARNING or not record.name.startswith(QUIET_LOGGERS)
            or "shutting down" in str(record.msg))


class ConsoleHandler(logging.StreamHandler):
    """stderr without Scrapy's chatter below WARNING, and a status line redrawn in place on a terminal.

    Until the site answers once, warnings and all after them are held: if it never answers, they all say so,
    and the crawl command says it in one line instead (:meth:`forget_held`).
    """

    def __init__(self, settings) -> None:
        super().__init__(sys.stderr)
        self.setLevel(settings.get("LOG_LEVEL"))
        self.setFormatter(logging.Formatter(settings.get("LOG_FORMAT"), settings.get("LOG_DATEFORMAT")))
        self.addFilter(shown)
        self.held: list[logging.LogRecord] | None = []
        self.status = ""
        self.tty = self.stream.isatty()

    def handle(self, record: logging.LogRecord) -> bool:
        if self.held is not None and (self.held or record.levelno >= logging.WARNING) and self.filter(record):
            self.held.append(record)
            if len(self.held) > HOLD_LIMIT:
                self.site_answered()
            return True
        return super().handle(record)

    def site_answered(self) -> None:
        """What was held is shown, and nothing is held any more."""
        held, self.held = self.held or [], None
        for record in held:
            super().handle(record)

    def forget_held(self) -> None:
        self.held = None

    def emit(self, record: logging.LogRecord) -> None:
        self.show_status(self.status, record)

    def show_status(self, text: str, record: logging.LogRecord | None = None) -> None:
        """Erase the status line, write *record* if any, draw *text* as the status line (terminals only)."""
        with self.lock:
            if self.status and self.tty:
                self.stream.write("\r\x1b[K")
            if record is not None:
                super().emit(record)
            self.status = text if self.tty else ""
            if self.status:
                self.stream.write(self.status[:200])
            self.flush()


def install(settings) -> ConsoleHandler:
    handler = ConsoleHandler(settings)
    logging.root.setLevel(logging.NOTSET)  # as Scrapy does for its own handler: the handler's level decides
    logging.root.addHandler(handler)
    return handler


def console_handler() -> ConsoleHandler | None:
    """The console this process logs to, if the crawl command installed one."""
    return next((h for h in logging.root.handlers if isinstance(h, ConsoleHandler)), None)
