"""Items enter the pipelines in the order the spider released them, whatever order Scrapy hands them over in."""

import asyncio
from types import SimpleNamespace

from kongblog.pipelines.order import ListingOrderPipeline


def run_in_arrival_order(arrivals: list[str], places: dict[str, int], lost: tuple = ()) -> list[str]:
    items = {name: SimpleNamespace(name=name) for name in [*arrivals, *lost]}
    spider = SimpleNamespace(release_order={id(items[name]): place for name, place in places.items()})
    pipeline = ListingOrderPipeline(SimpleNamespace(spider=spider))
    passed: list[str] = []

    async def one(name: str) -> None:
        passed.append((await pipeline.process_item(items[name])).name)

    async def main() -> None:
        tasks = []
        for name in arrivals:  # each item handed over one loop turn after the other, as Scrapy's workers do
            tasks.append(asyncio.create_task(one(name)))
            await asyncio.sleep(0)
        await asyncio.gather(*tasks)

    asyncio.run(main())
    assert len(spider.release_order) == len(lost) and pipeline.waiting == {}  # nothing left behind
    return passed


def test_items_of_two_pages_interleaved_pass_in_listing_order():
    # Page 7's first two items, page 8's two, then page 7's last: as two callbacks' outputs interleave.
    places = {"7.1": 0, "7.2": 1, "7.3": 2, "8.1": 3, "8.2": 4}
    assert run_in_arrival_order(["7.1", "7.2", "8.1", "8.2", "7.3"], places) == ["7.1", "7.2", "7.3", "8.1", "8.2"]


def test_items_in_order_pass_at_once_and_others_straight_through():
    places = {"a": 0, "b": 1}
    assert run_in_arrival_order(["a", "article", "b"], places) == ["a", "article", "b"]


def test_another_spiders_items_pass_straight_through():
    """A spider of the project other than kongblog (tests/support/mongo.py's) keeps no listing order."""
    pipeline = ListingOrderPipeline(SimpleNamespace(spider=SimpleNamespace()))
    item = SimpleNamespace(name="made-up")
    assert asyncio.run(pipeline.process_item(item)) is item


def test_an_item_whose_predecessor_never_comes_waits_a_bounded_time(monkeypatch):
    """Item 1 never reaches the pipeline (lost on its way): item 2 waits MAX_WAIT, then passes, and so does
    every item after it; nothing waits for ever."""
    monkeypatch.setattr(ListingOrderPipeline, "MAX_WAIT", 0.05)
    places = {"first": 0, "lost": 1, "third": 2, "fourth": 3}
    assert run_in_arrival_order(["first", "third", "fourth"], places | {"lost": 1}, lost=["lost"]) == [
        "first", "third", "fourth"]
