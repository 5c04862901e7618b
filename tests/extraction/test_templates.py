"""Every page of generated templates, with traps, read in process and compared with the truth.

The replica draws a card template from a seed (element types, nesting, field
order, byline form and place, date format, where the post link sits, image
proxies) and can add traps (far listing links, a popular-posts sidebar, a
featured hero, a newsletter tile, author avatars). The truth is the replica's
own; nothing of kongblog computes it.
"""

from itertools import combinations

import pytest

from kongblog.extraction.listing import read_listing
from kongblog.loaders import PostLoader
from replica import ReplicaOptions, Site, describe
from replica.options import TRAPS
from replica.templates import READING_SEED
from tests.support.chaos import field_mismatches
from tests.support.responses import html_root

BASE = "http://127.0.0.1:1"
COMBOS = [frozenset(combo) for size in range(len(TRAPS) + 1) for combo in combinations(TRAPS, size)]
SEEDS = range(64)
# From READING_SEED on, templates also print what real themes print (a date in pieces, runs of facts,
# separator spans between names, no "By", a title link holding the date, "Read more" in the excerpt).
READING_SEEDS = [*range(READING_SEED, READING_SEED + 64), READING_SEED + 77, READING_SEED + 169]  # (+ two misses once)


def read_site(options: ReplicaOptions) -> tuple[list[dict], list[dict], list[str]]:
    """(items, truth, doubts) of every listing page, read as the spider reads them."""
    site = Site(options, BASE)
    items, doubts, shape = [], [], None
    for number in range(1, options.pages + 1):
        path = "/blog/engineering" if number == 1 else f"/blog/engineering/page/{number}"
        url = BASE + path
        page = read_listing(html_root(site.respond(path).body, url), url, number, shape)
        shape = shape or page.shape
        assert page.pagination.last_page == options.pages, f"page {number}: {page.pagination}"
        doubts += page.doubts
        items += [vars(PostLoader.load_card(card, url, number, "t")) for card in page.cards]
    return items, site.expected_items(), doubts


@pytest.mark.parametrize("seed", [*SEEDS, *READING_SEEDS])
def test_generated_template_with_traps(seed):
    traps = COMBOS[seed % len(COMBOS)]
    items, truth, doubts = read_site(ReplicaOptions(markup="generated", template_seed=seed, traps=traps))
    assert len(truth) == 300
    assert field_mismatches(items, truth) == [], f"{describe(seed)}\ntraps: {sorted(traps)}"
    assert len(items) == 300 and doubts == []


@pytest.mark.parametrize("markup", ["utility", "semantic"])
def test_classic_markups_with_every_trap(markup):
    items, truth, doubts = read_site(ReplicaOptions(markup=markup, traps=frozenset(TRAPS)))
    assert field_mismatches(items, truth) == []
    assert len(items) == 300 and doubts == []
