#!/usr/bin/env bash
# Installs everything the test suite needs on a fresh Debian machine (system
# packages, a virtualenv, the pinned Python packages) and runs it.
# Extra arguments go to pytest, e.g. `bash scripts/test.sh -k cards`. Each test is
# named as it runs, with the share done (-v): about 7 minutes on 2 cores.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/venv.sh

# Chromium for the browser-rendering tests, docker-compose to validate the compose file,
# valgrind for the instruction-count benchmark's smoke test, BusyBox's crond for the scheduler's test.
missing=()
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
command -v docker-compose >/dev/null 2>&1 || missing+=(docker-compose)
command -v valgrind >/dev/null 2>&1 || missing+=(valgrind)
busybox --list 2>/dev/null | grep -qx crond || missing+=(busybox-static)
if [ "${#missing[@]}" -gt 0 ]; then
  apt_install "${missing[@]}"
fi

make_venv requirements-dev.txt
exec .venv/bin/python -m pytest -v "$@"
