# Sourced by scripts/crawl.sh and scripts/test.sh: a virtualenv in .venv with
# the pinned packages of the requirements file given as $1 (Python 3.11+ and
# its venv module are installed with apt when missing).

sudo=""
if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi

apt_install() {
  $sudo apt-get update -q
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q --no-install-recommends "$@"
}

python_ok() { python3 -c 'import sys, ensurepip; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; }

make_venv() {
  if ! python_ok; then
    apt_install python3 python3-venv
    python_ok || { echo "kongblog needs Python 3.11 or newer with venv (python3 -m venv)" >&2; exit 1; }
  fi
  python3 -m venv .venv
  .venv/bin/python -m pip install -q --upgrade pip
  .venv/bin/python -m pip install -q -r "$1"
}
