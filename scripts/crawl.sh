#!/usr/bin/env bash
# Installs kongblog into a virtualenv and crawls the live Kong engineering blog
# to data/posts.jsonl (and into MongoDB when MONGO_URI is set).
# Extra arguments go to `scrapy crawl`, e.g. `bash scripts/crawl.sh -a max_pages=2`.
set -euo pipefail
cd "$(dirname "$0")/.."

sudo=""
if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi

python_ok() { python3 -c 'import sys, ensurepip; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; }
if ! python_ok; then
  $sudo apt-get update -q
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q --no-install-recommends python3 python3-venv
  python_ok || { echo "kongblog needs Python 3.11 or newer with venv (python3 -m venv)" >&2; exit 1; }
fi
python3 -m venv .venv
.venv/bin/python -m pip install -q --upgrade pip
.venv/bin/python -m pip install -q -r requirements.txt
mkdir -p data
exec .venv/bin/scrapy crawl kongblog -O data/posts.jsonl "$@"
