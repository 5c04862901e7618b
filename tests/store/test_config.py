"""Settings of the store, and how its URI and failures read (no server needed)."""

from __future__ import annotations

from urllib.parse import quote, quote_plus

import pytest
from pymongo.errors import OperationFailure, ServerSelectionTimeoutError
from scrapy.settings import Settings

from kongblog.store.config import SecretUri, StoreConfig
from tests.support.mongo import PASSWORD, spellings, store_settings


def config(uri: str) -> StoreConfig:
    return StoreConfig.from_settings(Settings(store_settings(MONGO_URI=uri)))


def test_store_config_takes_every_value_from_the_settings():
    settings = Settings(store_settings(MONGO_URI="mongodb://db:27017", MONGO_COLLECTION="cards", MONGO_RETRY_WINDOW="1.5"))
    cfg = StoreConfig.from_settings(settings)
    assert (cfg.uri, cfg.database, cfg.collection, cfg.retry_window) == ("mongodb://db:27017", "kongblog", "cards", 1.5)
    assert (cfg.server_selection_timeout_ms, cfg.history_limit) == (3000, 50)  # kongblog/settings.py
    # No second set of defaults: without the project's settings, it says which is missing.
    with pytest.raises(ValueError, match="MONGO_DATABASE is not set"):
        StoreConfig.from_settings(Settings({"MONGO_URI": "mongodb://db"}))


@pytest.mark.parametrize(
    ("uri", "masked"),
    [
        ("mongodb://app:s3cret@db1:27017,db2/kb?authSource=admin", "mongodb://***@db1:27017,db2/kb?authSource=admin"),
        ("mongodb+srv://app@cluster.example/?w=1", "mongodb+srv://***@cluster.example/?w=1"),
        ("mongodb://db1:27017/", "mongodb://db1:27017/"),
        # the driver splits on the first "?": a raw "?" in a password breaks the URI
        ("mongodb://app:p?ss@db:27017/", "mongodb://***@db:27017/"),
        ("mongodb://app:p@ss@db:27017/kb", "mongodb://***@db:27017/kb"),
        ("mongodb://app:pa/ss@db:27017/kb", "mongodb://***@db:27017/kb"),
        (f"mongodb://app:{quote_plus(PASSWORD)}@db:27017/?authSource=admin", "mongodb://***@db:27017/?authSource=admin"),
        (f"mongodb://app:{PASSWORD}@db:27017/", "mongodb://***@db:27017/"),
    ],
)
def test_masked_uri_hides_the_user_info_the_driver_reads(uri, masked):
    assert SecretUri(uri).masked == masked


@pytest.mark.parametrize("form", ["encoded", "raw"])
def test_no_spelling_of_the_password_survives_redaction(form):
    password = quote_plus(PASSWORD) if form == "encoded" else PASSWORD
    uri = f"mongodb://app:{password}@db.example:27017/kb?authSource=admin"
    secret = SecretUri(uri)
    text = f"connecting to {uri} as {PASSWORD!r} ({quote_plus(PASSWORD)}, {quote(PASSWORD, safe='')}) failed"
    redacted = secret.redact(text)
    for spelling in spellings(PASSWORD):
        assert spelling not in redacted
    assert "app:" not in redacted


def test_a_driver_complaint_quoting_part_of_the_user_info_is_withheld():
    # pymongo reads "mongodb://app:pass/word@db/" as host "app:pass", database "word@db"
    secret = SecretUri("mongodb://app:pass/word@db/")
    assert secret.redact('Bad database name "word@db"') == "(withheld: it quotes part of the URI's user name or password)"
    assert secret.redact("Port must be an integer between 0 and 65535") == "Port must be an integer between 0 and 65535"


def test_refused_credentials_are_not_called_unreachable():
    cfg = config(f"mongodb://app:{quote_plus(PASSWORD)}@db.example:27017/?authSource=admin")
    refused = OperationFailure("Authentication failed.", code=18, details={"ok": 0, "errmsg": "Authentication failed.", "code": 18})
    message = str(cfg.failure(refused))
    assert message.startswith("MongoDB at mongodb://***@db.example:27017/?authSource=admin refused the credentials: ")
    assert "MONGO_URI" in message and "unreachable" not in message
    unreachable = str(cfg.failure(ServerSelectionTimeoutError("db.example:27017: [Errno 111] Connection refused")))
    assert unreachable.startswith("MongoDB at mongodb://***@db.example:27017/?authSource=admin is unreachable: ")
    rights = str(cfg.failure(OperationFailure("not authorized", code=13), "writing posts"))
    assert "lacks the rights on kongblog.posts" in rights
    for text in (message, unreachable, rights):
        for spelling in spellings(PASSWORD):
            assert spelling not in text
