"""Reference spiders for the benchmarks (run with ``-s SPIDER_MODULES=bench.spiders``)."""
