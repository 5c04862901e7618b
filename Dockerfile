# kongblog: Scrapyd server and one-shot crawler image.
#
#   docker compose build            (see docker-compose.yml and docs/deploy.md)
#
# One image, four uses: the `scrapyd` service (default command), the one-shot
# `crawl` service (`scrapy crawl kongblog ...` in /app), the one-shot
# `deploy` service (uploads the egg built below to Scrapyd) and the
# `scheduler` service (BusyBox crond starting crawls on Scrapyd).
FROM python:3.11-slim

# Chromium's own sandbox needs user namespaces, which Docker's default seccomp
# profile denies: in the container the container is the sandbox.
ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PLAYWRIGHT_BROWSERS_PATH=/ms-playwright \
    KONGBLOG_CHROMIUM_SANDBOX=0

WORKDIR /app

# Runtime dependencies: requirements.txt is their one source. Scrapyd and
# scrapyd-client are taken, pins and all, from requirements-dev.txt so their
# versions are written down in one place too (the rest of the dev tooling,
# pytest and the test database, stays out of the image).
COPY requirements.txt requirements-dev.txt ./
RUN grep -E '^(scrapyd|scrapyd-client)==' requirements-dev.txt > /tmp/scrapyd-requirements.txt \
    && test "$(wc -l < /tmp/scrapyd-requirements.txt)" -eq 2 \
    && pip install -r requirements.txt -r /tmp/scrapyd-requirements.txt \
    && rm /tmp/scrapyd-requirements.txt

# Headless Chromium for scrapy-playwright, with the system libraries it needs
# (the browser is Playwright's own build, in PLAYWRIGHT_BROWSERS_PATH).
RUN playwright install --with-deps chromium \
    && rm -rf /var/lib/apt/lists/*

# The scheduler service's cron daemon: Debian's busybox-static has crond
# (Debian's smaller busybox package lacks it).
RUN apt-get update \
    && apt-get install -y --no-install-recommends busybox-static \
    && rm -rf /var/lib/apt/lists/* \
    && busybox --list | grep -qx crond

# An unprivileged user runs everything; Scrapyd's state lives in
# /var/lib/scrapyd (named volumes in docker-compose.yml inherit this
# ownership when first created).
RUN useradd --system --uid 10001 --user-group --home-dir /var/lib/scrapyd --shell /usr/sbin/nologin kongblog \
    && mkdir -p /var/lib/scrapyd/eggs /var/lib/scrapyd/dbs /var/lib/scrapyd/logs /var/lib/scrapyd/items \
                /var/lib/scrapyd/httpcache \
                /etc/scrapyd /opt/kongblog /data \
    && chown -R kongblog:kongblog /var/lib/scrapyd /data

# Scrapyd's configuration and its kongblog_scrapyd hooks (scrapyd.conf's
# application and webroot options), which must be importable by Scrapyd;
# kongblog-check-secrets refuses weak or placeholder secrets and is the
# entrypoint of the deploy and crawl services (docker-compose.yml).
COPY docker/scrapyd.conf /etc/scrapyd/scrapyd.conf
COPY docker/kongblog_scrapyd.py /tmp/kongblog_scrapyd.py
RUN install -m 0644 /tmp/kongblog_scrapyd.py "$(python -c 'import sysconfig; print(sysconfig.get_path("purelib"))')/" \
    && rm /tmp/kongblog_scrapyd.py \
    && python -c 'import kongblog_scrapyd'
COPY docker/check-secrets.sh /usr/local/bin/kongblog-check-secrets
COPY docker/scrapyd-entrypoint.sh /usr/local/bin/kongblog-scrapyd
COPY docker/scrapyd-healthcheck.py /usr/local/bin/kongblog-scrapyd-healthcheck
# The scheduler service: its entrypoint writes the crontab, each entry runs kongblog-schedule-crawl.
COPY docker/scheduler-entrypoint.sh /usr/local/bin/kongblog-scheduler
COPY docker/schedule-crawl.py /usr/local/bin/kongblog-schedule-crawl
RUN chmod 0755 /usr/local/bin/kongblog-check-secrets /usr/local/bin/kongblog-scrapyd \
               /usr/local/bin/kongblog-scrapyd-healthcheck /usr/local/bin/kongblog-scheduler \
               /usr/local/bin/kongblog-schedule-crawl

# The project itself, and the Scrapyd egg built from it now, at image build
# time, so the `deploy` service only uploads a file (scrapyd-deploy --egg).
COPY . .
RUN scrapyd-deploy --build-egg /opt/kongblog/kongblog.egg \
    && rm -rf build ./*.egg-info /tmp/scrapydeploy-* \
    && chmod 0644 /opt/kongblog/kongblog.egg

USER kongblog
EXPOSE 6800
CMD ["kongblog-scrapyd"]
