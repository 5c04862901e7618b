"""Tests of the MongoDB store (kongblog/store/, kongblog/pipelines/store.py, scrapy replay / history)."""
