#!/bin/sh
# Start a Scrapyd for kongblog on this machine's loopback (127.0.0.1:6800),
# with HTTP basic auth and the checks of docker/kongblog_scrapyd.py (Host
# allow-list, cross-site browser requests refused, credentials kept out of
# the jobs' environment).
#
#   scripts/scrapyd-local.sh [DIR [SCRAPYD-OPTION...]]   (DIR: ~/scrapyd)
#
# DIR holds Scrapyd's eggs/, logs/, items/ and dbs/, and its scrapyd.conf,
# copied from docker/scrapyd-local.conf on the first run. The credentials are
# SCRAPYD_USERNAME / SCRAPYD_PASSWORD from the environment or, when the
# password is not set, from DIR/credentials.env, which the first run creates
# with a fresh password (readable by you only). In the shell you deploy from:
#
#   . ~/scrapyd/credentials.env && scrapyd-deploy
#
# SCRAPYD_HTTP_PORT (read by Scrapyd itself) overrides the port.
set -eu

repo=$(cd "$(dirname "$0")/.." && pwd)
dir=${1:-"$HOME/scrapyd"}
if [ $# -gt 0 ]; then shift; fi   # the rest goes to scrapyd
mkdir -p "$dir"
dir=$(cd "$dir" && pwd)

if [ -z "${SCRAPYD_PASSWORD:-}" ]; then
    if [ ! -e "$dir/credentials.env" ]; then
        password=$(od -An -N24 -tx1 /dev/urandom | tr -d ' \n')
        (umask 077 && printf 'export SCRAPYD_USERNAME=kongblog\nexport SCRAPYD_PASSWORD=%s\n' "$password" \
            > "$dir/credentials.env")
        echo "scrapyd-local.sh: wrote $dir/credentials.env; load it where you deploy from: . $dir/credentials.env" >&2
    fi
    . "$dir/credentials.env"
fi
sh "$repo/docker/check-secrets.sh" SCRAPYD_USERNAME SCRAPYD_PASSWORD
export SCRAPYD_USERNAME SCRAPYD_PASSWORD

conf="$dir/scrapyd.conf"
if [ ! -e "$conf" ]; then
    cp "$repo/docker/scrapyd-local.conf" "$conf"
elif ! grep -Eq '^application *= *kongblog_scrapyd\.application *$' "$conf" \
    || ! grep -Eq '^webroot *= *kongblog_scrapyd\.Root *$' "$conf"; then
    echo "scrapyd-local.sh: $conf does not use kongblog_scrapyd's application and webroot;" \
         "add them (see docker/scrapyd-local.conf) or remove the file" >&2
    exit 64
fi

scrapyd=${SCRAPYD:-}
if [ -z "$scrapyd" ]; then
    if [ -x "$repo/.venv/bin/scrapyd" ]; then scrapyd="$repo/.venv/bin/scrapyd"; else scrapyd=scrapyd; fi
fi

# Outside the repository: Scrapyd reads a scrapy.cfg near its working
# directory, and jobs must import kongblog from the deployed egg.
cd "$dir"
PYTHONPATH="$repo/docker${PYTHONPATH:+:$PYTHONPATH}" exec "$scrapyd" "$@"
