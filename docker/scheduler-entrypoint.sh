#!/bin/sh
# The scheduler service: BusyBox crond starting kongblog crawls on Scrapyd (docs/deploy.md).
#
# Writes a crontab from two cron expressions of the environment, then runs
# crond in the foreground (its log and the jobs' output on this process's
# stderr):
#   KONGBLOG_INCREMENTAL_SCHEDULE  default "0 * * * *"  (every hour, on the hour)
#   KONGBLOG_FULL_SCHEDULE         default "30 3 * * *" (every day at 03:30; the
#                                  full crawl is the one that marks gone posts)
# An empty value turns that crawl off; an expression that is not five fields
# of digits and * , - / stops the container with one line naming the variable.
# Each entry runs kongblog-schedule-crawl (docker/schedule-crawl.py), which
# reads SCRAPYD_URL, SCRAPYD_USERNAME, SCRAPYD_PASSWORD and
# KONGBLOG_SCHEDULE_PARAMS from the environment crond passes on: no secret
# is written into the crontab. Times are the container's, UTC unless TZ is set.
# Also (for a crond outside the image, tests/test_scheduler.py): KONGBLOG_CRONTABS
# (crontab folder), KONGBLOG_SCHEDULE_COMMAND, KONGBLOG_CRON_LOG_LEVEL.
set -eu

incremental=${KONGBLOG_INCREMENTAL_SCHEDULE-0 * * * *}
full=${KONGBLOG_FULL_SCHEDULE-30 3 * * *}
crontabs=${KONGBLOG_CRONTABS:-/tmp/kongblog-crontabs}
command=${KONGBLOG_SCHEDULE_COMMAND:-kongblog-schedule-crawl}

check() {
    [ -z "$2" ] && return 0
    if ! printf '%s\n' "$2" | grep -Eq '^[[:space:]]*([0-9*,/-]+[[:space:]]+){4}[0-9*,/-]+[[:space:]]*$'; then
        echo "kongblog: refusing to start: $1 is not a cron expression of five fields (e.g. '0 * * * *')" >&2
        exit 64
    fi
}
check KONGBLOG_INCREMENTAL_SCHEDULE "$incremental"
check KONGBLOG_FULL_SCHEDULE "$full"

mkdir -p "$crontabs"
user=$(id -un)
{
    [ -z "$incremental" ] || echo "$incremental $command incremental >>/proc/$$/fd/2 2>&1"
    [ -z "$full" ] || echo "$full $command full >>/proc/$$/fd/2 2>&1"
} > "$crontabs/$user"
echo "kongblog scheduler: incremental '${incremental:-off}', full '${full:-off}'" >&2

exec busybox crond -f -l "${KONGBLOG_CRON_LOG_LEVEL:-8}" -L /proc/$$/fd/2 -c "$crontabs"
