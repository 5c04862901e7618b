"""Scrapy settings for kongblog: each one is described in docs/settings.md.

Secrets and per-deployment values come from the environment; importing this module never connects to anything.
"""

import os
import shutil

from kongblog import __version__

BOT_NAME = "kongblog"
SPIDER_MODULES = ["kongblog.spiders"]
NEWSPIDER_MODULE = "kongblog.spiders"
COMMANDS_MODULE = "kongblog.commands"

# --- Politeness: a site owner who sees our traffic must be able to tell who we are.
KONGBLOG_CONTACT_URL = os.environ.get("KONGBLOG_CONTACT_URL", "https://github.com/kongblog/kongblog")
USER_AGENT = f"kongblog/{__version__} (+{KONGBLOG_CONTACT_URL})"
ROBOTSTXT_OBEY = True
CONCURRENT_REQUESTS = 8
CONCURRENT_REQUESTS_PER_DOMAIN = 4
AUTOTHROTTLE_ENABLED = True
AUTOTHROTTLE_START_DELAY = 1.0
AUTOTHROTTLE_MAX_DELAY = 30.0
AUTOTHROTTLE_TARGET_CONCURRENCY = 2.0
DOWNLOAD_TIMEOUT = 30
# A listing page is tens of kB (Scrapy's default is 1 GiB).
DOWNLOAD_MAXSIZE = 32 * 1024 * 1024
# About 20 listing pages, whose trees and items weigh several times their HTML.
SCRAPER_SLOT_MAX_ACTIVE_SIZE = 1_000_000
RETRY_TIMES = 3
# A pagination widget promising page 99,999 costs at most this many requests past the real last page.
KONGBLOG_PAGE_WINDOW = 10
TELNETCONSOLE_ENABLED = False
REMOTE_CONTROL_ENABLED = False

FEED_EXPORT_ENCODING = "utf-8"  # JSON lines keep Unicode readable (no \u escapes)
LOG_LEVEL = "INFO"

ITEM_PIPELINES = {
    "kongblog.pipelines.order.ListingOrderPipeline": 10,
    "kongblog.pipelines.validate.ValidatePostPipeline": 100,
    "kongblog.pipelines.deduplicate.DeduplicatePostPipeline": 200,
    "kongblog.pipelines.store.StorePostPipeline": 300,
}

EXTENSIONS = {
    "kongblog.extensions.summary.CrawlSummary": 500,
    "kongblog.extensions.health.CrawlHealthCheck": 510,
    # Counts the browser's processes too when MEMUSAGE_ENABLED is on.
    "scrapy.extensions.memusage.MemoryUsage": None,
    "kongblog.extensions.memory.MemoryUsageWithBrowser": 0,
    "kongblog.extensions.progress.CrawlProgress": 400,
}

# --- Browser rendering (scrapy-playwright).
KONGBLOG_RENDER = os.environ.get("KONGBLOG_RENDER", "auto")
KONGBLOG_CHROMIUM_PATH = os.environ.get("KONGBLOG_CHROMIUM_PATH") or shutil.which("chromium")  # None: Playwright's
KONGBLOG_RENDER_WAIT = 10.0
KONGBLOG_RENDER_TIMEOUT = 60.0
KONGBLOG_CHROMIUM_SANDBOX = os.environ.get("KONGBLOG_CHROMIUM_SANDBOX", "auto")
PLAYWRIGHT_BROWSER_TYPE = "chromium"
PLAYWRIGHT_MAX_CONTEXTS = 1
PLAYWRIGHT_MAX_PAGES_PER_CONTEXT = 2
PLAYWRIGHT_DEFAULT_NAVIGATION_TIMEOUT = 30_000

# --- MongoDB (the store pipeline is off unless MONGO_URI is set).
MONGO_URI = os.environ.get("MONGO_URI")
MONGO_DATABASE = os.environ.get("MONGO_DATABASE") or "kongblog"
MONGO_COLLECTION = os.environ.get("MONGO_COLLECTION") or "posts"
MONGO_BATCH_SIZE = 100
MONGO_FLUSH_INTERVAL = 5.0
# A slow store slows the crawl rather than filling memory.
MONGO_MAX_QUEUED_BATCHES = 4
MONGO_SERVER_SELECTION_TIMEOUT_MS = 3000
MONGO_CONNECT_TIMEOUT_MS = 3000
MONGO_SOCKET_TIMEOUT_MS = 30000
MONGO_RETRY_WINDOW = 60.0
MONGO_RETRY_INITIAL_DELAY = 0.5
MONGO_RETRY_MAX_DELAY = 8.0
# Replay its items with `scrapy replay PATH`.
MONGO_DEAD_LETTER_PATH = os.environ.get("MONGO_DEAD_LETTER_PATH") or "data/dead-letter-{timestamp}.jsonl"
MONGO_HISTORY_LIMIT = 50

# --- Health checks (a failed check makes `scrapy crawl` exit 1).
KONGBLOG_HEALTH_CHECKS = True
# The minimum share of cards that carry a field on a healthy listing page.
KONGBLOG_DEFAULT_MIN_COVERAGE = {"url": 1.0, "title": 1.0, "published": 1.0, "authors": 0.95, "excerpt": 0.95}
KONGBLOG_MIN_COVERAGE = {}
KONGBLOG_COVERAGE_MIN_CARDS = 40
KONGBLOG_MAX_INVALID_RATIO = 0.05
KONGBLOG_MAX_ARTICLE_FAILURE_RATIO = 0.05

KONGBLOG_STATS_FILE = os.environ.get("KONGBLOG_STATS_FILE")

# The start line and progress: redrawn in place on a terminal; in a log (Scrapyd), a line every this many
# seconds (0: neither).
KONGBLOG_PROGRESS_INTERVAL = 5.0

# --- Conditional re-crawls (kongblog/httpcache.py, docs/deploy.md): pages an earlier crawl stored are asked for
# with their validators; a 304 hands the stored page to the spider. Off: KONGBLOG_HTTPCACHE=0 or
# -s HTTPCACHE_ENABLED=False. Relative directories are under the project's .scrapy/ (Scrapyd: its folder's).
HTTPCACHE_ENABLED = os.environ.get("KONGBLOG_HTTPCACHE", "1").strip().lower() not in ("0", "false", "no", "off")
HTTPCACHE_DIR = os.environ.get("KONGBLOG_HTTPCACHE_DIR") or "httpcache"
HTTPCACHE_POLICY = "kongblog.httpcache.RevalidatePolicy"  # scrapy.extensions.httpcache.RFC2616Policy, see there
HTTPCACHE_GZIP = True
DOWNLOADER_MIDDLEWARES = {
    "scrapy.downloadermiddlewares.httpcache.HttpCacheMiddleware": None,
    "kongblog.httpcache.ConditionalCacheMiddleware": 900,
}

# --- Alerts (kongblog/extensions/notify.py, docs/deploy.md): Apprise URLs, from the environment only.
KONGBLOG_NOTIFY = os.environ.get("KONGBLOG_NOTIFY")
KONGBLOG_NOTIFY_TIMEOUT = 5.0  # seconds the sending may add to a crawl's end, all channels together
EXTENSIONS = {**EXTENSIONS, "kongblog.extensions.notify.CrawlNotifier": 520}

# The blog's RSS/Atom feed, when a listing page links one: read once a crawl (one request on the start
# URL's host, at most KONGBLOG_SECOND_SOURCE_MAXSIZE bytes) to fill the title, date and authors a card
# does not show and to count where card and feed disagree (kongblog/pipelines/second_source.py).
KONGBLOG_SECOND_SOURCE = True
KONGBLOG_SECOND_SOURCE_MAXSIZE = 2 * 1024 * 1024
ITEM_PIPELINES["kongblog.pipelines.second_source.SecondSourcePipeline"] = 50

# --- Article pages (articles=1): bounded work per page; past either bound the card is kept, unenriched.
KONGBLOG_ARTICLE_MAXSIZE = 2 * 1024 * 1024  # bytes of one article page, decompressed (0: no cap)
KONGBLOG_ARTICLE_TIMEOUT = 20.0  # seconds to extract one page, off the event loop

# `-O FILE` replaces FILE only when the crawl ends healthy (kongblog/feeds.py).
FEED_STORAGES = {"": "kongblog.feeds.HealthyOverwriteFeedStorage", "file": "kongblog.feeds.HealthyOverwriteFeedStorage"}

# A JOBDIR is held by one crawl, resumed only after a clean pause, started over otherwise (kongblog/jobdir.py).
EXTENSIONS = {**EXTENSIONS, "kongblog.jobdir.JobdirGuard": 900}

# What `scrapy crawl kongblog` crawls with neither -a start_url nor -a category (-a category replaces the second).
KONGBLOG_DEFAULT_BLOG = "https://konghq.com/blog"
KONGBLOG_DEFAULT_CATEGORY = "engineering"
