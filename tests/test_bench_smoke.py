"""Smoke test of the benchmarks: every bench script once, at its --tiny size.

The figures are not checked against targets (too small and too noisy to
mean anything); only that each script runs to the end and prints its table
with the expected rows and positive numbers. The two halves run in parallel
to stay under about a minute.
"""

from __future__ import annotations

import subprocess
import sys

import pytest

from bench.common import parse_tables
from tests.support.crawl import REPO

pytestmark = pytest.mark.slow

GROUPS = ["overhead,mongo,incremental", "render,memory,naive"]

# Table title prefix -> (row label column, expected row labels, columns that must be > 0)
EXPECTED = {
    "crawl overhead": ("variant", ["kongblog full", "bare floor"], ["wall s", "engine s", "items", "items/s (wall)"]),
    "MongoDB bulk vs one write per item": (
        "mode",
        ["pipeline bulk (batch 100)", "pipeline bulk (batch 100)", "update_one per item", "update_one per item"],
        ["seconds", "items/s"],
    ),
    "incremental vs full re-crawl": (
        "crawl", ["full re-crawl", "incremental re-crawl"], ["listing requests", "items", "wall s", "engine s"],
    ),
    "render auto vs always": (
        "mode", ["render=auto", "render=always"], ["browser pages", "items", "wall s", "engine s"],
    ),
    "peak RSS of the crawl process": ("replica", ["2 pages", "6 pages"], ["items", "wall s", "peak RSS MB"]),
    "naive Next-chasing vs concurrent": (
        "spider", ["naive Next-chasing", "kongblog", "bare concurrent"], ["listing requests", "items", "wall s"],
    ),
}


@pytest.fixture(scope="module")
def bench_output() -> str:
    processes = [
        subprocess.Popen(
            [sys.executable, "-m", "bench", "--tiny", "--only", group],
            cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        )
        for group in GROUPS
    ]
    outputs = []
    for process in processes:
        try:
            stdout, stderr = process.communicate(timeout=180)
        finally:
            if process.poll() is None:
                process.kill()
        assert process.returncode == 0, f"{process.args}\n{stdout}\n{stderr[-3000:]}"
        outputs.append(stdout)
    return "\n".join(outputs)


def number(cell: str) -> float:
    return float(cell.rstrip("x"))


@pytest.mark.parametrize("prefix", list(EXPECTED))
def test_table_has_expected_rows_and_positive_numbers(bench_output, prefix):
    tables = parse_tables(bench_output)
    titles = [title for title in tables if title.startswith(prefix)]
    if prefix.startswith("render") and any(t.startswith("render auto vs always: skipped") for t in tables):
        pytest.skip("no Chromium on this machine")
    assert len(titles) == 1, (prefix, list(tables))
    rows = tables[titles[0]]
    label, expected_rows, positive = EXPECTED[prefix]
    assert [row[label] for row in rows] == expected_rows
    for row in rows:
        for column in positive:
            assert number(row[column]) > 0, (titles[0], row)


def test_runs_yield_what_they_should(bench_output):
    tables = parse_tables(bench_output)
    by_prefix = {prefix: next(v for t, v in tables.items() if t.startswith(prefix)) for prefix in EXPECTED
                 if any(t.startswith(prefix) for t in tables)}
    overhead = {row["variant"]: row for row in by_prefix["crawl overhead"]}
    assert overhead["kongblog full"]["items"] == overhead["bare floor"]["items"] == "75"
    incremental = {row["crawl"]: row for row in by_prefix["incremental vs full re-crawl"]}
    assert number(incremental["incremental re-crawl"]["listing requests"]) < number(
        incremental["full re-crawl"]["listing requests"]
    )
    assert incremental["incremental re-crawl"]["items"] == "3"
    if "render auto vs always" in by_prefix:
        render = {row["mode"]: row for row in by_prefix["render auto vs always"]}
        assert number(render["render=auto"]["browser pages"]) == 1
        assert number(render["render=always"]["browser pages"]) == number(render["render=always"]["listing requests"])


def run_ab_against_this_checkout(module: str) -> tuple[str, list]:
    """An A/B script with this checkout as its old tree too: the script's plumbing, not a figure."""
    result = subprocess.run(
        [sys.executable, "-m", module, "--tiny", "--old-tree", str(REPO)],
        cwd=REPO, capture_output=True, text=True, timeout=300,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    [(title, rows)] = parse_tables(result.stdout).items()
    return title, rows


def test_overhead_ab_runs_both_checkouts_and_the_floor():
    title, rows = run_ab_against_this_checkout("bench.overhead_ab")
    assert title.startswith("crawl overhead A/B: 5 pages")
    assert [row["variant"] for row in rows] == [
        "this checkout: full", "this checkout: render=never, no MongoDB",
        "old tree: full", "old tree: render=never, no MongoDB", "bare floor",
    ]
    assert all(number(row["wall s"]) > 0 and number(row["engine s"]) > 0 for row in rows)


def test_inprocess_ab_times_each_checkout_over_every_page():
    title, rows = run_ab_against_this_checkout("bench.inprocess_ab")
    assert title.startswith("kongblog's work in one process: 5 pages")
    assert [row["tree"] for row in rows] == ["this checkout", "old tree"]
    assert all(number(row["CPU s (median)"]) > 0 for row in rows)


def test_crawl_instructions_counts_every_variant_under_callgrind():
    result = subprocess.run(
        [sys.executable, "-m", "bench.crawl_instructions", "--tiny"],
        cwd=REPO, capture_output=True, text=True, timeout=900,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    [(title, rows)] = parse_tables(result.stdout).items()
    assert title == "crawl instructions: 3 pages"
    assert [row["variant"] for row in rows] == ["kongblog full", "kongblog render=never, no MongoDB", "bare floor"]
    assert [row["items"] for row in rows] == ["45", "45", "45"]
    floor = number(rows[-1]["instructions (billions)"])
    assert floor > 0.5  # Python's start and Scrapy's imports alone are more
    assert rows[-1]["ratio"] == "1.00x"
    for row in rows[:-1]:
        assert number(row["ratio"]) == pytest.approx(number(row["instructions (billions)"]) / floor, abs=0.01)


# --- (7) kongblog against the conventional spider for one known markup ----------------------------


def test_conventional_spider_and_kongblog_export_the_same_posts(tmp_path):
    from bench.common import run_spider
    from replica import ReplicaServer

    with ReplicaServer(pages=3) as server:
        start_url = server.url("/blog/engineering")
        truth = server.expected_items()
        runs = {spider: run_spider(start_url, tmp_path / spider, spider=spider).check(len(truth))
                for spider in ("kongblog", "bench_conventional")}

    def posts(run):
        return {item["slug"]: {k: v for k, v in item.items() if k != "scraped_at"} for item in run.result.items}

    kongblog, conventional = posts(runs["kongblog"]), posts(runs["bench_conventional"])
    assert sorted(kongblog) == sorted(conventional) == sorted(item["slug"] for item in truth)
    assert conventional == kongblog == {item["slug"]: item for item in truth}  # every field, both spiders


def test_cpu_vs_conventional_prints_both_spiders_and_the_ratio():
    result = subprocess.run(
        [sys.executable, "-m", "bench.cpu_vs_conventional", "--pages", "3", "--repeat", "2"],
        cwd=REPO, capture_output=True, text=True, timeout=300,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    [(title, rows)] = parse_tables(result.stdout).items()
    assert title == "CPU vs the conventional spider: 3 pages, best of 2 alternating rounds"
    assert [(row["spider"], row["items"]) for row in rows] == [("kongblog", "45"), ("conventional", "45")]
    best = {row["spider"]: number(row["best CPU s"]) for row in rows}
    assert all(len(row["every round CPU s"].split(", ")) == 2 for row in rows)
    assert "fields the two exports disagree on: none" in result.stdout
    last = result.stdout.strip().splitlines()[-1]
    assert last.startswith("ratio kongblog/conventional: ")
    assert float(last.rsplit(" ", 1)[1]) == pytest.approx(best["kongblog"] / best["conventional"], abs=0.011)
