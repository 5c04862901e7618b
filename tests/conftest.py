"""Fixtures shared by the whole suite.

tests/support/ holds the machinery (a real MongoDB wire-protocol server, the
replica of the blog, the crawl runner); this file only makes its fixtures
visible to every test module.
"""

from tests.support.mongo import mongo_client, mongo_db, mongo_uri, secantus_server  # noqa: F401
