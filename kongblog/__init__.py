"""kongblog: the Kong engineering blog as clean, deduplicated data."""

__version__ = "0.1.0"
