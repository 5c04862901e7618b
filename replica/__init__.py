"""Offline replica of the Kong engineering blog listing, for kongblog tests.

Public API::

    from replica import ReplicaServer, ReplicaOptions, expected_items, expected_articles
    from replica import Site, template_for, describe      # render without a server; templates

See README.md in this folder for the options and the ground-truth contract.
"""

from .content import EDGE_CASES, REVISED_POSTS, Blog, edge_case_table, seed_cards
from .options import ReplicaOptions
from .server import HitCounter, ReplicaServer
from .site import Site, expected_articles, expected_items
from .templates import Template, describe, template_for

__all__ = [
    "Blog",
    "EDGE_CASES",
    "HitCounter",
    "REVISED_POSTS",
    "ReplicaOptions",
    "ReplicaServer",
    "Site",
    "Template",
    "describe",
    "edge_case_table",
    "expected_articles",
    "expected_items",
    "seed_cards",
    "template_for",
]
