# Sourced by scripts/crawl.sh and scripts/test.sh: a virtualenv in .venv with
# the pinned packages of the requirements file given as $1 (Python 3.11+ and
# its venv module are installed with apt when missing). Installed once: a
# stamp in .venv holds the hash of the requirements it was installed from, and
# pip runs again only when they change.

sudo=""
if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi

apt_install() {
  $sudo apt-get update -q
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q --no-install-recommends "$@"
}

python_ok() { python3 -c 'import sys, ensurepip; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; }

# The hash of requirements file $1 and of requirements.txt, which the others include (-r).
requirements_hash() { cat "$1" requirements.txt | sha256sum | cut -d' ' -f1; }

make_venv() {
  local stamp=".venv/.installed-$(basename "$1").sha256" hash
  hash=$(requirements_hash "$1")
  if [ -x .venv/bin/python ] && [ "$(cat "$stamp" 2>/dev/null)" = "$hash" ]; then
    return 0
  fi
  if ! python_ok; then
    apt_install python3 python3-venv
    python_ok || { echo "kongblog needs Python 3.11 or newer with venv (python3 -m venv)" >&2; exit 1; }
  fi
  echo "Installing the packages of $1 into .venv (once; again only when it changes)" >&2
  [ -x .venv/bin/python ] || python3 -m venv .venv
  .venv/bin/python -m pip install -q --upgrade pip
  .venv/bin/python -m pip install -r "$1"   # no -q: the first install takes minutes, and shows them
  echo "$hash" > "$stamp"
}
