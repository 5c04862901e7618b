"""DeduplicatePostPipeline: first card of a slug wins, later ones dropped."""

from __future__ import annotations

import pytest
from scrapy.utils.test import get_crawler

from kongblog.pipelines.deduplicate import DeduplicatePostPipeline
from kongblog.pipelines.drops import DuplicatePost
from tests.support.mongo import synthetic_post


def test_later_cards_of_a_slug_are_dropped_and_counted():
    crawler = get_crawler()
    pipeline = DeduplicatePostPipeline.from_crawler(crawler)
    first, second = synthetic_post(1), synthetic_post(2)
    again = synthetic_post(1, listing_page=2, listing_position=1)
    assert pipeline.process_item(first) is first
    assert pipeline.process_item(second) is second
    with pytest.raises(DuplicatePost) as info:
        pipeline.process_item(again)
    assert info.value.log_level == "DEBUG"
    assert "slug='post-00001'" in str(info.value)
    with pytest.raises(DuplicatePost):
        pipeline.process_item(synthetic_post(1))
    assert crawler.stats.get_value("kongblog/duplicates") == 2


def test_seen_set_is_per_pipeline_instance():
    one = DeduplicatePostPipeline.from_crawler(get_crawler())
    two = DeduplicatePostPipeline.from_crawler(get_crawler())
    item = synthetic_post(7)
    assert one.process_item(item) is item
    assert two.process_item(item) is item
