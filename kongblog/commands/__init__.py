"""Project commands (``scrapy <command>``), found through COMMANDS_MODULE."""
