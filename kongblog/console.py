"""What ``scrapy crawl`` prints on a console: the start, progress, warnings and the summary last.

Scrapy logs its version banner, settings, components and stats dump at INFO. In a log file (``LOG_FILE``, as
Scrapyd sets) they stay; on a console they are shown only at ``LOG_LEVEL=DEBUG``. The crawl command asks Scrapy
for no root handler (``LOG_INSTALL_ROOT_HANDLER``, so the banner logged before any command code runs goes
nowhere) and installs :class:`ConsoleHandler` instead.
"""

from __future__ import annotations

import logging
import sys

# Scrapy's set-up and wind-down chatter: what ran and with which settings, not what the crawl did.
QUIET_LOGGERS = (
    "scrapy.utils.log",  # version banner, reactor
    "scrapy.addons",
    "scrapy.middleware",  # enabled extensions, middlewares, pipelines
    "scrapy.crawler",  # overridden settings
    "scrapy.core.engine",  # spider opened, closing, closed
    "scrapy.extensions.logstats",  # "Crawled N pages" every minute: the progress line says more
    "scrapy.extensions.telnet",
    "scrapy.extensions.feedexport",  # "Stored ... feed": the start line named it
    "scrapy.statscollectors",  # the stats dump (KONGBLOG_STATS_FILE writes it as JSON)
)
# Records kept back while the site has not answered, past which they are shown anyway.
HOLD_LIMIT = 200


def quiet(settings) -> bool:
    """Whether this crawl logs to a console at INFO or above (no log file, not DEBUG)."""
    level = logging.getLevelName(str(settings.get("LOG_LEVEL")).upper())
    return (
        settings.getbool("LOG_ENABLED")
        and not settings.get("LOG_FILE")
        and isinstance(level, int)
        and level > logging.DEBUG
    )


class ConsoleHandler(logging.StreamHandler):
    """stderr, without Scrapy's chatter below WARNING; with a status line redrawn in place on a terminal.

    Until the site answers once (:meth:`site_answered`), warnings and everything after them are held: if it
    never answers, they are all one fact, which the crawl command says in one line instead (:meth:`forget_held`).
    """

    def __init__(self, settings, stream=None) -> None:
        super().__init__(stream or sys.stderr)
        self.setLevel(settings.get("LOG_LEVEL"))
        self.setFormatter(logging.Formatter(settings.get("LOG_FORMAT"), settings.get("LOG_DATEFORMAT")))
        self.addFilter(self.shown)
        self.held: list[logging.LogRecord] | None = []
        self.status = ""

    @property
    def tty(self) -> bool:
        return self.stream.isatty()

    @staticmethod
    def shown(record: logging.LogRecord) -> bool:
        return record.levelno >= logging.WARNING or not record.name.startswith(QUIET_LOGGERS)

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
        self.acquire()
        try:
            self.clear_status()
            super().emit(record)
            self.draw_status()
        finally:
            self.release()

    def show_status(self, text: str) -> None:
        """Redraw the status line (terminals only): it stays below the log lines, one line, replaced."""
        if not self.tty:
            return
        self.acquire()
        try:
            self.clear_status()
            self.status = text
            self.draw_status()
        finally:
            self.release()

    def clear_status(self) -> None:
        if self.status:
            self.stream.write("\r\x1b[K")
            self.flush()

    def draw_status(self) -> None:
        if self.status:
            self.stream.write(self.status[:200])
            self.flush()

    def end_status(self) -> None:
        self.show_status("")


def install(settings) -> ConsoleHandler:
    handler = ConsoleHandler(settings)
    logging.root.setLevel(logging.NOTSET)  # as Scrapy does for its own handler: the handler's level decides
    logging.root.addHandler(handler)
    return handler


def console_handler() -> ConsoleHandler | None:
    """The console this process logs to, if the crawl command installed one."""
    return next((h for h in logging.root.handlers if isinstance(h, ConsoleHandler)), None)
