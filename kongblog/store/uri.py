"""MongoDB URIs without their credentials, for every line a person may read.

pymongo's own parser (:func:`pymongo.uri_parser.parse_uri`) decides what the
user info is, so the mask covers exactly what the driver would send. A URI
the driver cannot read (a raw ``@``, ``%`` or ``?`` in a password...) is
masked the safe way: everything between the scheme and its last ``@``.
"""

from __future__ import annotations

import re
from functools import cached_property
from urllib.parse import quote, quote_plus, unquote_plus

from pymongo.uri_parser import parse_uri

SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*://")
MASK = "***"
WITHHELD = "(withheld: it quotes part of the URI's user name or password)"


class SecretUri:
    def __init__(self, uri: str) -> None:
        self.uri = uri

    @cached_property
    def _parts(self) -> tuple[str, str, str, bool]:
        """(scheme, raw user info, what follows its ``@``, whether the driver reads the URI)."""
        match = SCHEME.match(self.uri)
        scheme = match.group() if match else ""
        rest = self.uri[len(scheme) :]
        try:  # as mongodb://, whatever the scheme: same user info rules, no DNS lookup (mongodb+srv)
            parse_uri("mongodb://" + rest, validate=False, warn=False, normalize=False)
        except Exception:  # noqa: BLE001 - what the driver refuses is masked the safe way
            userinfo, sep, hosts = rest.rpartition("@")
            return scheme, userinfo if sep else "", hosts, False
        # The driver's split: options after the first "?", the database after
        # the first "/", the user info before the last "@" of what remains.
        userinfo, sep, _ = rest.partition("?")[0].partition("/")[0].rpartition("@")
        return scheme, userinfo if sep else "", rest[len(userinfo) + 1 :] if sep else rest, True

    @property
    def masked(self) -> str:
        """``mongodb://app:s3cret@db1:27017/x`` -> ``mongodb://***@db1:27017/x``."""
        scheme, userinfo, rest, _ = self._parts
        return f"{scheme}{MASK}@{rest}" if userinfo else self.uri

    @cached_property
    def secrets(self) -> list[str]:
        """Every spelling of the user info, user name and password (raw, decoded,
        percent-encoded), longest first; not the 1- and 2-letter ones, which
        would garble every message."""
        userinfo = self._parts[1]
        forms = {userinfo}
        for part in userinfo.split(":", 1):
            for text in (part, unquote_plus(part)):
                forms |= {text, quote_plus(text), quote(text, safe="")}
        return sorted((form for form in forms if len(form) > 2), key=len, reverse=True)

    def redact(self, text: str) -> str:
        """*text* with the URI masked and no spelling of its credentials left.
        The driver's complaint about a URI it cannot read may quote a piece of
        it (``Bad database name "ss@db"``): such a text is withheld whole."""
        if self.uri:
            text = text.replace(self.uri, self.masked)
        for secret in self.secrets:
            text = text.replace(secret, MASK)
        userinfo, parsed = self._parts[1], self._parts[3]
        if not parsed and any(userinfo[i : i + 4] in text for i in range(len(userinfo) - 3)):
            return WITHHELD
        return text


def mask_uri(uri: str) -> str:
    return SecretUri(uri).masked
