"""Benchmarks of kongblog against the offline replica (see docs/benchmarks.md).

    .venv/bin/python -m bench [--tiny | --pages N]     # every benchmark
    .venv/bin/python -m bench.crawl_overhead --pages 200
"""
