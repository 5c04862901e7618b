"""Offline replica of the Kong engineering blog listing, for kongblog tests.

Public API::

    from replica import ReplicaServer, ReplicaOptions, expected_items, expected_articles

See README.md in this folder for the options and the ground-truth contract.
"""

from .content import EDGE_CASES, REVISED_POSTS, Blog, edge_case_table, seed_cards
from .options import ReplicaOptions
from .server import HitCounter, ReplicaServer
from .site import Site, expected_articles, expected_items

__all__ = [
    "Blog",
    "EDGE_CASES",
    "HitCounter",
    "REVISED_POSTS",
    "ReplicaOptions",
    "ReplicaServer",
    "Site",
    "edge_case_table",
    "expected_articles",
    "expected_items",
    "seed_cards",
]
