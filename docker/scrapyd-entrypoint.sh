#!/bin/sh
# Start Scrapyd for kongblog, refusing to run without authentication.
#
# Scrapyd binds 0.0.0.0 inside the container (docker/scrapyd.conf) and reads
# SCRAPYD_USERNAME / SCRAPYD_PASSWORD from the environment itself; an empty
# one would silently disable basic auth, so check both here.
set -eu

if [ -z "${SCRAPYD_USERNAME:-}" ] || [ -z "${SCRAPYD_PASSWORD:-}" ]; then
    echo "kongblog-scrapyd: SCRAPYD_USERNAME and SCRAPYD_PASSWORD must both be set;" \
         "refusing to start Scrapyd without authentication" >&2
    exit 64
fi
case "$SCRAPYD_USERNAME" in
    *:*)
        echo "kongblog-scrapyd: SCRAPYD_USERNAME must not contain ':'" >&2
        exit 64
        ;;
esac

# Not the source tree: jobs must import kongblog from the deployed egg, and
# Scrapyd also reads a scrapy.cfg near its working directory.
cd /var/lib/scrapyd
mkdir -p eggs dbs logs items
exec scrapyd "$@"
