#!/bin/sh
# Write .env for docker compose from .env.example, with a fresh random secret
# in every *_PASSWORD and your user and group ids in KONGBLOG_UID/GID.
#
#   scripts/new-env.sh [FILE]     (default: .env next to .env.example)
#
# Secrets are 48 hex characters (24 random bytes from /dev/urandom): long
# enough for docker/check-secrets.sh and safe inside a mongodb:// URI. The
# file is created readable by you only; an existing one is never replaced
# (MongoDB keeps the passwords of its first start, see docs/deploy.md).
set -eu

root=$(cd "$(dirname "$0")/.." && pwd)
example="$root/.env.example"
target=${1:-"$root/.env"}

if [ -e "$target" ]; then
    echo "new-env.sh: $target already exists; not replacing it" >&2
    exit 1
fi

secret() {
    od -An -N24 -tx1 /dev/urandom | tr -d ' \n'
}

umask 077
tmp="$target.tmp.$$"
trap 'rm -f "$tmp"' EXIT
while IFS= read -r line || [ -n "$line" ]; do
    case $line in
        [A-Z]*_PASSWORD=*) echo "${line%%=*}=$(secret)" ;;
        KONGBLOG_UID=*) echo "KONGBLOG_UID=$(id -u)" ;;
        KONGBLOG_GID=*) echo "KONGBLOG_GID=$(id -g)" ;;
        *) printf '%s\n' "$line" ;;
    esac
done < "$example" > "$tmp"
mv "$tmp" "$target"
trap - EXIT
echo "new-env.sh: wrote $target (fresh passwords; keep it private)" >&2
