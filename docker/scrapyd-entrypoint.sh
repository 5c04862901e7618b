#!/bin/sh
# Start Scrapyd for kongblog, refusing to run without real credentials.
#
# Scrapyd binds 0.0.0.0 inside the container (docker/scrapyd.conf) and reads
# SCRAPYD_USERNAME / SCRAPYD_PASSWORD from the environment itself; an empty
# one would silently disable basic auth. kongblog-check-secrets
# (docker/check-secrets.sh) refuses empty, short and placeholder values, a
# ':' in the user name, and a MONGO_URI (when set) whose password is weak.
set -eu

# MONGO_URI (the crawls' MongoDB, with the application user's password) is
# checked when it is set: a Scrapyd without MongoDB needs none.
kongblog-check-secrets SCRAPYD_USERNAME SCRAPYD_PASSWORD ${MONGO_URI:+MONGO_URI}

# Not the source tree: jobs must import kongblog from the deployed egg, and
# Scrapyd also reads a scrapy.cfg near its working directory.
cd "${KONGBLOG_SCRAPYD_HOME:-/var/lib/scrapyd}"
mkdir -p eggs dbs logs items
exec scrapyd "$@"
