"""`scrapy crawl kongblog` over listings built by random templates, with every combination of traps.

Each of the 32 combinations of the replica's five traps (far listing links, a
popular-posts sidebar, a featured hero, a newsletter tile, author avatars)
is crawled once, each on a template of its own seed (and four templates that
print what real themes print), and compared field by
field with the replica's truth, listing_position included. The crawl must
exit 0 and ask for nothing but robots.txt and the listing's own pages.
"""

from itertools import combinations

import pytest

from replica import ReplicaServer, describe
from replica.options import TRAPS
from replica.templates import READING_SEED
from tests.support.chaos import field_mismatches
from tests.support.crawl import run_crawl

pytestmark = pytest.mark.slow

PAGES = 6
COMBOS = [frozenset(combo) for size in range(len(TRAPS) + 1) for combo in combinations(TRAPS, size)]
CASES = [pytest.param(1000 + index, traps, id=f"seed{1000 + index}-" + ("+".join(sorted(traps)) or "no-trap"))
         for index, traps in enumerate(COMBOS)]
# Templates that also print what real themes print (see replica.templates.READING_SEED), four of them.
CASES += [pytest.param(READING_SEED + index, COMBOS[7 * index], id=f"seed{READING_SEED + index}-reading")
          for index in range(1, 5)]


@pytest.mark.parametrize("seed, traps", CASES)
def test_a_generated_template_crawls_exactly_to_the_truth(tmp_path, seed, traps):
    with ReplicaServer(markup="generated", template_seed=seed, traps=traps, pages=PAGES) as server:
        result = run_crawl(server.url("/blog/engineering"), tmp_path, args={"render": "never"})
        truth, hits = server.expected_items(), server.hits.snapshot()
    context = f"{describe(seed)}\ntraps: {sorted(traps)}\n{result.log[-2000:]}"
    assert result.returncode == 0, context
    assert len(truth) == PAGES * 15
    assert field_mismatches(result.items, truth) == [], context
    assert len(result.items) == len(truth)
    listing = {"/blog/engineering": 1, **{f"/blog/engineering/page/{n}": 1 for n in range(2, PAGES + 1)}}
    assert hits == {"/robots.txt": 1, **listing}, context
    assert "kongblog/doubts" not in result.stats, context


@pytest.mark.parametrize("markup", ["utility", "semantic"])
def test_the_classic_markups_with_every_trap(tmp_path, markup):
    with ReplicaServer(markup=markup, traps=frozenset(TRAPS)) as server:
        result = run_crawl(server.url("/blog/engineering"), tmp_path, args={"render": "never"})
        truth = server.expected_items()
    assert result.returncode == 0, result.log[-2000:]
    assert field_mismatches(result.items, truth) == []
    assert len(result.items) == 300
