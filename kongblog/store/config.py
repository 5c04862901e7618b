"""The ``MONGO_*`` settings, the URI with its credentials masked, and failures that say what to fix."""

from __future__ import annotations

import dataclasses
import re
from functools import cached_property
from typing import TYPE_CHECKING, Self
from urllib.parse import quote, quote_plus, unquote_plus

from pymongo.errors import ConfigurationError, ConnectionFailure, OperationFailure
from pymongo.uri_parser import parse_uri

if TYPE_CHECKING:
    from scrapy.settings import BaseSettings

UNAUTHORIZED, AUTHENTICATION_FAILED = 13, 18  # server error codes
SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*://")
MASK = "***"


class StoreUnavailable(RuntimeError):
    """The store cannot be reached, or refused us, for long enough to give up."""


class SecretUri:
    """A MongoDB URI whose user info never shows. pymongo's own parser decides
    what the user info is; a URI it cannot read (a raw ``@``, ``%`` or ``?``
    in a password) is masked from the scheme to its last ``@``."""

    def __init__(self, uri: str) -> None:
        self.uri = uri
        scheme = match.group() if (match := SCHEME.match(uri)) else ""
        rest = uri[len(scheme) :]
        try:  # as mongodb://, whatever the scheme: same user info rules, no DNS lookup (mongodb+srv)
            parse_uri("mongodb://" + rest, validate=False, warn=False, normalize=False)
            self.parsed = True
            # The driver's split: options after the first "?", the database after
            # the first "/", the user info before the last "@" of what remains.
            self.userinfo = rest.partition("?")[0].partition("/")[0].rpartition("@")[0]
        except Exception:  # noqa: BLE001 - what the driver refuses is masked the safe way
            self.parsed = False
            self.userinfo = rest.rpartition("@")[0]
        self.masked = f"{scheme}{MASK}@{rest[len(self.userinfo) + 1 :]}" if self.userinfo else uri

    @cached_property
    def secrets(self) -> list[str]:
        """Every spelling (raw, decoded, percent-encoded) of the user info, user name and password,
        longest first; not the 1- and 2-letter ones, which would garble every message."""
        forms = {self.userinfo}
        for part in self.userinfo.split(":", 1):
            for text in (part, unquote_plus(part)):
                forms |= {text, quote_plus(text), quote(text, safe="")}
        return sorted((form for form in forms if len(form) > 2), key=len, reverse=True)

    def redact(self, text: str) -> str:
        """*text* with no spelling of the credentials left; withheld whole when it quotes a piece
        of a URI the driver cannot read (``Bad database name "ss@db"``)."""
        if self.uri:
            text = text.replace(self.uri, self.masked)
        for secret in self.secrets:
            text = text.replace(secret, MASK)
        pieces = (self.userinfo[i : i + 4] for i in range(len(self.userinfo) - 3))
        if not self.parsed and any(piece in text for piece in pieces):
            return "(withheld: it quotes part of the URI's user name or password)"
        return text


@dataclasses.dataclass(frozen=True)
class StoreConfig:
    """The ``MONGO_*`` settings of the store; their defaults are in kongblog/settings.py only."""

    uri: str
    database: str
    collection: str
    server_selection_timeout_ms: int
    connect_timeout_ms: int
    socket_timeout_ms: int
    retry_window: float
    retry_initial_delay: float
    retry_max_delay: float
    history_limit: int

    @classmethod
    def from_settings(cls, settings: BaseSettings) -> Self:
        """Each field from its ``MONGO_<FIELD>`` setting; a missing one is an error naming it."""
        values: dict[str, object] = {"uri": str(settings.get("MONGO_URI") or "")}
        for spec in dataclasses.fields(cls)[1:]:
            name = f"MONGO_{spec.name.upper()}"
            if settings.get(name) in (None, ""):
                raise ValueError(f"the setting {name} is not set")
            values[spec.name] = {"str": str, "int": int, "float": float}[str(spec.type)](settings.get(name))
        return cls(**values)  # type: ignore[arg-type]

    @cached_property
    def secret(self) -> SecretUri:
        return SecretUri(self.uri)

    @property
    def where(self) -> str:
        """``mongodb://***@db:27017/ kongblog.posts``, for messages."""
        return f"{self.secret.masked} {self.database}.{self.collection}"

    def describe(self, exc: BaseException) -> str:
        """One line, credentials masked: the error's class and first line."""
        text = str(exc).split(", Timeout:", 1)[0]
        return f"{type(exc).__name__}: {self.secret.redact(text.splitlines()[0] if text else '')[:300]}"

    def failure(self, exc: BaseException, doing: str = "") -> StoreUnavailable:
        """Why *doing* (connecting, when empty) failed, for people."""
        at = f"MongoDB at {self.secret.masked}"
        code = exc.code if isinstance(exc, OperationFailure) else None
        if code == AUTHENTICATION_FAILED:
            why = (f"{at} refused the credentials: check the user name, password and authSource "
                   "in MONGO_URI (percent-encoded: urllib.parse.quote_plus)")  # fmt: skip
        elif code == UNAUTHORIZED:
            why = (f"{at} refused {doing or 'the connection check'}: the user of MONGO_URI lacks "
                   f"the rights on {self.database}.{self.collection} (readWrite is needed)")  # fmt: skip
        elif isinstance(exc, (ConfigurationError, ValueError, TypeError)):  # InvalidURI too
            why = f"{at} is misconfigured (fix MONGO_URI)"
        elif isinstance(exc, ConnectionFailure):
            why = f"{at} is unreachable" + (f" ({doing})" if doing else "")
        else:
            why = f"{at} refused {doing or 'the connection check'}"
        return StoreUnavailable(f"{why}: {self.describe(exc)}")
