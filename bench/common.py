"""What every benchmark shares: running a crawl, measuring it, printing tables.

A crawl runs as ``scrapy crawl`` in a subprocess, with the command line,
environment and result reader of the test suite's runner
(:mod:`tests.support.crawl`): the real entry point, settings module, feed
export and stats file. It is timed from spawn to exit, and its own peak RSS
is the kernel's high-water mark of that process (``VmHWM``), polled until it
exits (not ``wait4``'s ``ru_maxrss``, which also holds this script's own
size from before ``exec``).
"""

from __future__ import annotations

import argparse
import atexit
import os
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Sequence
from dataclasses import dataclass, field
from statistics import median
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:  # `python bench/x.py` as well as `python -m bench.x`
    sys.path.insert(0, str(REPO))

from tests.support.crawl import CrawlResult, crawl_command, crawl_env, read_result  # noqa: E402

BENCH_SPIDERS = "bench.spiders.bare,bench.spiders.conventional"
LISTING = "/blog/engineering"


@dataclass
class Run:
    """One measured crawl."""

    label: str
    wall: float  # seconds from spawn to exit of the crawl process
    peak_rss_mb: float  # the crawl process's own peak RSS (VmHWM)
    cpu: float  # CPU seconds (user + system) the crawl process itself used
    result: CrawlResult
    extra: dict = field(default_factory=dict)

    @property
    def stats(self) -> dict:
        return self.result.stats

    @property
    def items(self) -> int:
        return len(self.result.items)

    @property
    def engine_seconds(self) -> float:
        """Scrapy's own elapsed_time_seconds: engine start to spider close."""
        return float(self.stats.get("elapsed_time_seconds") or 0.0)

    @property
    def listing_requests(self) -> int:
        return int(self.extra.get("listing_requests", 0))

    def check(self, expected_items: int | None = None) -> Run:
        """Fail loudly on a crawl that did not do the work it is timed for."""
        if self.result.returncode != 0:
            raise RuntimeError(f"{self.label}: crawl exited {self.result.returncode}\n{self.result.log[-3000:]}")
        if expected_items is not None and self.items != expected_items:
            raise RuntimeError(f"{self.label}: {self.items} items, expected {expected_items}\n{self.result.log[-3000:]}")
        return self


def run_spider(
    start_url: str,
    workdir: Path,
    *,
    spider: str = "kongblog",
    label: str | None = None,
    args: dict | None = None,
    settings: dict | None = None,
    env: dict | None = None,
    timeout: float = 1800,
    server=None,
    tree: Path = REPO,
    wrapper: Sequence[str] = (),
) -> Run:
    """Crawl to completion in a subprocess; wall time and peak RSS measured.

    ``spider`` other than ``kongblog`` is looked up in :mod:`bench.spiders`.
    With ``server`` (a ReplicaServer), its hits are reset first and the
    listing requests it saw are stored in ``run.extra["listing_requests"]``.
    ``tree`` is the checkout whose kongblog runs (another commit's worktree,
    for an A/B); the bench spiders and this runner stay this checkout's.
    ``wrapper`` goes before the command (``valgrind --tool=callgrind``).
    """
    workdir.mkdir(parents=True, exist_ok=True)
    merged = dict(settings or {})  # crawl_command adds the test settings (no autothrottle)
    if spider != "kongblog":
        merged["SPIDER_MODULES"] = BENCH_SPIDERS
    command = crawl_command(start_url, workdir, args, merged)
    command[command.index("crawl") + 1] = spider
    command = [*wrapper, *command]
    if server is not None:
        server.reset_hits()
    with open(workdir / "crawl.log", "w") as log:
        started = time.perf_counter()
        env = {"PYTHONPATH": os.pathsep.join(dict.fromkeys([str(tree), str(REPO)])), **(env or {})}
        process = subprocess.Popen(command, cwd=tree, env=crawl_env(env), stdout=log, stderr=subprocess.STDOUT)
        try:
            hwm_kb, cpu = _wait(process, timeout)
        finally:
            if process.returncode is None and process.poll() is None:
                process.kill()
                process.wait()
        wall = time.perf_counter() - started
    result = read_result(process.returncode, workdir)
    run = Run(label or spider, wall, hwm_kb / 1024, cpu, result)
    if server is not None:
        run.extra["listing_requests"] = listing_hits(server)
    return run


def _wait(process: subprocess.Popen, timeout: float):
    """Wait for the crawl process (setting its returncode); return its peak RSS
    in kB and the CPU seconds it used (``wait4``'s rusage: this process only).

    The peak RSS is the kernel's high-water mark of the process itself
    (``VmHWM`` in /proc/<pid>/status), read every 20 ms until it exits.
    """
    deadline = time.monotonic() + timeout
    hwm_kb = 0
    status_file = f"/proc/{process.pid}/status"
    while True:
        hwm_kb = max(hwm_kb, _read_hwm(status_file))
        pid, status, usage = os.wait4(process.pid, os.WNOHANG)
        if pid:
            process.returncode = os.waitstatus_to_exitcode(status)
            return hwm_kb, usage.ru_utime + usage.ru_stime
        if time.monotonic() > deadline:
            process.kill()
            pid, status = os.waitpid(process.pid, 0)
            process.returncode = os.waitstatus_to_exitcode(status)
            raise TimeoutError(f"crawl did not finish in {timeout:g}s")
        time.sleep(0.02)


def _read_hwm(status_file: str) -> int:
    try:
        with open(status_file) as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
    except (OSError, ValueError):
        pass
    return 0


def listing_hits(server, listing: str = LISTING) -> int:
    """GET/HEAD requests the replica saw for the listing's pages."""
    return sum(server.hits.listing(listing).values())


def warm(server, pages: int, listing: str = LISTING) -> None:
    """Fetch every listing page once so that the replica's lazy page cache is
    hot before anything is timed, then forget those hits."""
    for number in range(1, pages + 1):
        path = listing if number == 1 else f"{listing}/page/{number}"
        with urllib.request.urlopen(server.url(path), timeout=30) as response:
            response.read()
    server.reset_hits()


_WORKDIRS: list[Path] = []


def median_times(measured) -> tuple[float, float]:
    """Median wall and engine seconds of one variant's runs."""
    return median(r.wall for r in measured), median(r.engine_seconds for r in measured)


def workdir(prefix: str) -> Path:
    """A temporary directory for crawl outputs, removed when the benchmark
    exits (kept when KONGBLOG_BENCH_KEEP is set, for a look at logs)."""
    path = Path(tempfile.mkdtemp(prefix=f"kongblog-bench-{prefix}-"))
    _WORKDIRS.append(path)
    return path


@atexit.register
def _remove_workdirs() -> None:
    if not os.environ.get("KONGBLOG_BENCH_KEEP"):
        for path in _WORKDIRS:
            shutil.rmtree(path, ignore_errors=True)


# --- Output -------------------------------------------------------------------


def fmt(value, digits: int = 2) -> str:
    if isinstance(value, float):
        return f"{value:.{digits}f}"
    return str(value)


def print_table(title: str, headers: Sequence[str], rows: Sequence[Sequence], notes: Sequence[str] = ()) -> str:
    """Print a Markdown table (pasteable into docs/benchmarks.md); return its text."""
    cells = [[fmt(c) for c in row] for row in rows]
    widths = [max(len(h), *(len(r[i]) for r in cells)) if cells else len(h) for i, h in enumerate(headers)]
    lines = [f"### {title}", ""]
    lines.append("| " + " | ".join(h.ljust(w) for h, w in zip(headers, widths)) + " |")
    lines.append("|" + "|".join("-" * (w + 2) for w in widths) + "|")
    for row in cells:
        lines.append(
            "| " + " | ".join(c.rjust(w) if _numeric(c) else c.ljust(w) for c, w in zip(row, widths)) + " |"
        )
    if notes:
        lines.append("")
        lines.extend(notes)
    text = "\n".join(lines) + "\n"
    print(text, flush=True)
    return text


def _numeric(text: str) -> bool:
    try:
        float(text.rstrip("x%"))
        return True
    except ValueError:
        return False


def parse_tables(text: str) -> dict[str, list[dict[str, str]]]:
    """``{title: [row dict, ...]}`` of every table :func:`print_table` printed."""
    tables: dict[str, list[dict[str, str]]] = {}
    title = None
    headers: list[str] | None = None
    for line in text.splitlines():
        if line.startswith("### "):
            title, headers = line[4:].strip(), None
            tables[title] = []
        elif line.startswith("|") and title is not None:
            cells = [c.strip() for c in line.strip().strip("|").split("|")]
            if headers is None:
                headers = cells
            elif not all(set(c) <= {"-"} for c in cells):
                tables[title].append(dict(zip(headers, cells)))
        elif title is not None and headers is not None:
            title, headers = None, None  # the table ended
    return tables


def base_parser(description: str, pages: int, repeat: int = 1) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--pages", type=int, default=pages, help=f"listing pages of the replica (default {pages})")
    parser.add_argument("--repeat", type=int, default=repeat, help=f"runs per variant, median kept (default {repeat})")
    parser.add_argument("--tiny", action="store_true", help="smoke-test size (seconds, not minutes)")
    return parser
