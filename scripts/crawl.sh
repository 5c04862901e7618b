#!/usr/bin/env bash
# Installs kongblog into a virtualenv (once; again when requirements.txt changes)
# and crawls the live Kong engineering blog
# to data/posts.jsonl (and into MongoDB when MONGO_URI is set).
# Extra arguments go to `scrapy crawl`, e.g. `bash scripts/crawl.sh -a max_pages=2`;
# give -o/-O yourself to write elsewhere (e.g. -o data/posts.jsonl to append
# an incremental crawl's new posts to the export it reads: see README.md).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/venv.sh

make_venv requirements.txt
mkdir -p data
output=(-O data/posts.jsonl)
for argument in "$@"; do
  case "$argument" in
    -o|-O|--output|--overwrite-output|-o*|-O*|--output=*|--overwrite-output=*) output=() ;;
  esac
done
exec .venv/bin/scrapy crawl kongblog "${output[@]}" "$@"
