#!/usr/bin/env bash
# Installs kongblog into a virtualenv and crawls the live Kong engineering blog
# to data/posts.jsonl (and into MongoDB when MONGO_URI is set).
# Extra arguments go to `scrapy crawl`, e.g. `bash scripts/crawl.sh -a max_pages=2`.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/venv.sh

make_venv requirements.txt
mkdir -p data
exec .venv/bin/scrapy crawl kongblog -O data/posts.jsonl "$@"
