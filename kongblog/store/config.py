"""Where the store is, how long to wait for it, and how its failures read."""

from __future__ import annotations

import dataclasses
from functools import cached_property
from typing import TYPE_CHECKING, Self

from pymongo.errors import ConfigurationError, ConnectionFailure, OperationFailure

from kongblog.store.uri import SecretUri

if TYPE_CHECKING:
    from scrapy.settings import BaseSettings

UNAUTHORIZED, AUTHENTICATION_FAILED = 13, 18  # server error codes


class StoreUnavailable(RuntimeError):
    """The store cannot be reached, or refused us, for long enough to give up."""


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
    def masked_uri(self) -> str:
        return self.secret.masked

    @property
    def where(self) -> str:
        """``mongodb://***@db:27017/ kongblog.posts``, for messages."""
        return f"{self.masked_uri} {self.database}.{self.collection}"

    def describe(self, exc: BaseException) -> str:
        """One line, credentials masked: the error's class and first line."""
        text = str(exc).split(", Timeout:", 1)[0]
        return f"{type(exc).__name__}: {self.secret.redact(text.splitlines()[0] if text else '')[:300]}"

    def failure(self, exc: BaseException, doing: str = "") -> StoreUnavailable:
        """Why *doing* (connecting, when empty) failed, for people: unreachable,
        credentials refused, rights missing, a URI the driver cannot read."""
        at = f"MongoDB at {self.masked_uri}"
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
