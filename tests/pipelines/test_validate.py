"""ValidatePostPipeline: schema checks, one drop class per reason, stats."""

from __future__ import annotations

import copy
import dataclasses

import pytest
import scrapy
from scrapy.exceptions import DropItem
from scrapy.utils.test import get_crawler

from kongblog.items import PostItem
from kongblog.pipelines.drops import InvalidField, MissingField
from kongblog.pipelines.validate import ValidatePostPipeline
from kongblog.schemas import PostSchema

HOST = "konghq.com"


class BlogSpider(scrapy.Spider):
    name = "blog"
    allowed_domains = [HOST]


def card(**changes: object) -> PostItem:
    fields = {
        "slug": "gateway-3-9",
        "url": f"https://{HOST}/blog/engineering/gateway-3-9",
        "title": "Kong Gateway 3.9",
        "category": "Engineering",
        "category_slug": "engineering",
        "published": "2024-12-17",
        "excerpt": "What is new.",
        "excerpt_truncated": True,
        "authors": ["Jane Doe"],
        "image_url": f"https://{HOST}/images/gw39.png",
        "image_alt": "Gateway",
        "listing_page": 1,
        "listing_position": 3,
        "listing_url": f"https://{HOST}/blog/engineering",
        "scraped_at": "2026-11-26T20:10:11Z",
    }
    fields.update(changes)
    return PostItem(**fields)


@pytest.fixture
def crawler():
    crawler = get_crawler(BlogSpider)
    crawler.spider = BlogSpider.from_crawler(crawler)
    return crawler


@pytest.fixture
def pipeline(crawler):
    return ValidatePostPipeline.from_crawler(crawler)


def stats(crawler) -> dict[str, object]:
    return {k: v for k, v in crawler.stats.get_stats().items() if k.startswith("kongblog/")}


def test_valid_item_passes_as_the_same_unchanged_object(pipeline, crawler):
    item = card()
    before = copy.deepcopy(dataclasses.asdict(item))
    assert pipeline.process_item(item) is item
    assert dataclasses.asdict(item) == before
    assert stats(crawler) == {}


def test_dict_items_are_validated_too(pipeline):
    item = dataclasses.asdict(card())
    assert pipeline.process_item(item) is item


def test_missing_title_is_missing_field(pipeline, crawler):
    with pytest.raises(MissingField) as info:
        pipeline.process_item(card(title=None))
    exc = info.value
    assert isinstance(exc, DropItem)
    assert exc.log_level == "INFO"
    assert "title: missing" in str(exc)
    assert "slug='gateway-3-9'" in str(exc)
    assert f"url='https://{HOST}/blog/engineering/gateway-3-9'" in str(exc)
    assert stats(crawler) == {"kongblog/invalid/title": 1}


@pytest.mark.parametrize("value", ["", "   "])
def test_blank_title_is_missing_field(pipeline, value):
    with pytest.raises(MissingField):
        pipeline.process_item(card(title=value))


def test_absent_key_of_a_dict_item_is_missing_field(pipeline, crawler):
    item = dataclasses.asdict(card())
    del item["listing_page"]
    with pytest.raises(MissingField):
        pipeline.process_item(item)
    assert stats(crawler) == {"kongblog/invalid/listing_page": 1}


@pytest.mark.parametrize("value", ["2023-02-30", "Feb 7 2023", "2023-2-7", "20230207", "2023-13-01"])
def test_bad_published_date_is_nulled_and_counted_the_post_kept(pipeline, crawler, value):
    item = card(published=value)
    assert pipeline.process_item(item) is item
    assert item.published is None
    assert stats(crawler) == {"kongblog/invalid/published": 1, "kongblog/missing/published": 1}


def test_a_card_with_a_url_and_a_title_is_a_post_whatever_else_it_lacks(pipeline, crawler):
    item = card(published=None, authors=[], excerpt=None, excerpt_truncated=None, image_url=None, image_alt=None,
                category=None, category_slug=None, listing_position=None, listing_url=None, scraped_at=None)
    before = dataclasses.asdict(item)
    assert pipeline.process_item(item) is item
    assert dataclasses.asdict(item) == before  # kept as it is: null, and [] for authors
    assert stats(crawler) == {f"kongblog/missing/{name}": 1 for name in (
        "published", "excerpt", "excerpt_truncated", "image_url", "image_alt", "category", "category_slug",
        "listing_position", "listing_url", "scraped_at",
    )}


@pytest.mark.parametrize("name", ["slug", "url", "title", "listing_page"])
def test_what_makes_a_card_a_post_is_required(pipeline, crawler, name):
    with pytest.raises(MissingField):
        pipeline.process_item(card(**{name: None}))
    assert stats(crawler) == {f"kongblog/invalid/{name}": 1}


def test_leap_day_is_a_real_date(pipeline):
    item = card(published="2024-02-29")
    assert pipeline.process_item(item) is item


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"url": f"https://{HOST}/blog/x?utm_source=feed"}, "url"),
        ({"url": f"https://{HOST}/blog/x#top"}, "url"),
        ({"url": "/blog/engineering/gateway-3-9"}, "url"),
        ({"listing_page": 0}, "listing_page"),
        ({"listing_page": "1"}, "listing_page"),
        ({"slug": "blog/gateway"}, "slug"),
    ],
)
def test_a_malformed_required_field_is_invalid_field(pipeline, crawler, changes, field):
    with pytest.raises(InvalidField):
        pipeline.process_item(card(**changes))
    assert stats(crawler) == {f"kongblog/invalid/{field}": 1}


@pytest.mark.parametrize(
    ("changes", "field", "empty"),
    [
        ({"listing_position": 0}, "listing_position", None),
        ({"excerpt_truncated": "yes"}, "excerpt_truncated", None),
        ({"authors": "Jane Doe"}, "authors", []),
        ({"authors": ["Jane Doe", ""]}, "authors", []),
        ({"image_url": "images/gw39.png"}, "image_url", None),
        ({"image_url": "javascript:void(0)"}, "image_url", None),
        ({"scraped_at": "2026-11-26 20:10:11"}, "scraped_at", None),
    ],
)
def test_a_malformed_optional_field_is_nulled_and_counted_the_post_kept(pipeline, crawler, changes, field, empty):
    item = card(**changes)
    assert pipeline.process_item(item) is item
    assert getattr(item, field) == empty
    assert (item.title, item.url) == ("Kong Gateway 3.9", f"https://{HOST}/blog/engineering/gateway-3-9")
    expected = {f"kongblog/invalid/{field}": 1} | ({f"kongblog/missing/{field}": 1} if empty is None else {})
    assert stats(crawler) == expected


def test_a_malformed_optional_field_of_a_dict_item_is_nulled_in_the_item(pipeline):
    item = {**dataclasses.asdict(card()), "published": "2023-02-30"}
    assert pipeline.process_item(item) is item
    assert item["published"] is None


def test_unknown_field_of_a_dict_item_is_invalid_field(pipeline, crawler):
    item = {**dataclasses.asdict(card()), "tags": ["x"]}
    with pytest.raises(InvalidField):
        pipeline.process_item(item)
    assert stats(crawler) == {"kongblog/invalid/tags": 1}


def test_every_problem_field_is_counted_and_missing_wins(pipeline, crawler):
    with pytest.raises(MissingField) as info:
        pipeline.process_item(card(title=None, published="2023-02-30", listing_position=-1))
    assert str(info.value).endswith("listing_position: malformed; published: malformed; title: missing")
    assert stats(crawler) == {
        "kongblog/invalid/listing_position": 1,
        "kongblog/invalid/published": 1,
        "kongblog/invalid/title": 1,
    }


def test_a_bad_date_never_drops_a_post_but_a_bad_page_does(pipeline):
    with pytest.raises(InvalidField) as info:
        pipeline.process_item(card(published="Feb 7 2023", listing_page=0))
    assert str(info.value).endswith("listing_page: malformed; published: malformed")


def test_undecodable_text_is_counted_per_field(pipeline, crawler):
    item = card(title="Caf\ufffd \ufffdber Alles", authors=["Zo\ufffd Br\ufffdckner"])
    assert pipeline.process_item(item) is item
    assert stats(crawler) == {
        "kongblog/replacement_characters/authors": 1,
        "kongblog/replacement_characters/title": 1,
    }


def test_missing_optional_fields_are_counted_not_dropped(pipeline, crawler):
    item = card(excerpt=None, image_url=None, image_alt=None, category=None, authors=[])
    assert pipeline.process_item(item) is item
    item2 = card(slug="other", image_url=None)
    assert pipeline.process_item(item2) is item2
    assert stats(crawler) == {
        "kongblog/missing/category": 1,
        "kongblog/missing/excerpt": 1,
        "kongblog/missing/image_alt": 1,
        "kongblog/missing/image_url": 2,
    }


def test_drop_counts_per_reason_across_items(pipeline, crawler):
    bad = [card(title=None), card(title=None), card(listing_page=0)]
    reasons = []
    for item in bad:
        with pytest.raises(DropItem) as info:
            pipeline.process_item(item)
        reasons.append(type(info.value).__name__)
    assert reasons == ["MissingField", "MissingField", "InvalidField"]
    assert stats(crawler) == {
        "kongblog/invalid/title": 2,
        "kongblog/invalid/listing_page": 1,
    }


# Values of every JSON type, and the near misses each field's rules are about.
_PROBES = [
    None, "", " ", "x", "x\n", "a b", "blog/x", "2024-12-17", "2023-02-30", "24-12-17", "2024-12-17T10:00:00Z",
    "https://konghq.com/blog/engineering/x", "https://other.example/x", "/relative", "https://konghq.com/x?y=1",
    0, 1, -1, 2.5, True, False, [], ["Jane Doe"], ["Jane Doe", ""], [1], {}, {"a": 1},
]


def test_fast_check_and_full_check_agree_on_every_probe():
    """The compiled fast path may only ever say what jsonschema says.

    Every field of a valid card is replaced in turn by each probe value, and
    removed; the card with an unknown field is tried too.
    """
    schema = PostSchema()
    base = dataclasses.asdict(card())
    variants = [base, {**base, "tags": ["x"]}]
    for name in base:
        variants.append({k: v for k, v in base.items() if k != name})
        variants.extend({**base, name: probe} for probe in _PROBES)
    verdicts = {"valid": 0, "invalid": 0}
    for data in variants:
        full_valid = schema.explain(data) == {}
        assert schema.passes(data) == full_valid, data
        verdicts["valid" if full_valid else "invalid"] += 1
    # Both verdicts are exercised in numbers, so the agreement means something.
    assert len(variants) == 2 + 15 * (1 + len(_PROBES))
    assert verdicts["valid"] >= 40 and verdicts["invalid"] >= 200, verdicts
