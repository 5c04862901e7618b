"""(2) MongoDB: the store pipeline's bulk writes vs one write per item.

    .venv/bin/python -m bench.mongo_bulk --items 2000

The benchmark itself is ``bench/bench_mongo_bulk.py`` (its own SecantusDB
server, N synthetic cards written twice per mode: first crawl = inserts,
re-crawl = updates; best of ``--repeat``); this name numbers it with the
other benchmarks for ``python -m bench``.
"""

from __future__ import annotations

import sys
from pathlib import Path

if not __package__:  # run as a file: python bench/mongo_bulk.py
    sys.path[0] = str(Path(__file__).resolve().parents[1])  # the repo, not bench/

from bench.bench_mongo_bulk import main

if __name__ == "__main__":
    raise SystemExit(main())
