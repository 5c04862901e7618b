"""Project commands (``scrapy <command>``), found through COMMANDS_MODULE."""

from __future__ import annotations

from typing import Any, ClassVar

from scrapy.exceptions import UsageError

from kongblog.store.config import StoreConfig


class UsesStore:
    """What the store's commands share (a mixin: Scrapy takes every ScrapyCommand subclass here for a command)."""

    requires_project = True
    requires_crawler_process = False
    default_settings: ClassVar[dict[str, Any]] = {"LOG_ENABLED": False}

    def store_config(self, otherwise: str = "") -> StoreConfig:
        """The store to use, or a usage error saying what to set."""
        assert self.settings is not None
        if not self.settings.get("MONGO_URI"):
            raise UsageError("MONGO_URI is not set: set the MONGO_URI environment variable "
                             f"or pass -s MONGO_URI=mongodb://host:27017{otherwise}", print_help=False)
        return StoreConfig.from_settings(self.settings)
