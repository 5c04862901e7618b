"""Scrapy settings for kongblog.

Every value can be overridden with ``-s NAME=VALUE`` or ``setting=NAME=VALUE`` in a Scrapyd
``schedule.json`` call. Secrets and per-deployment values come from the environment; importing
this module never connects to anything.
"""

import os

from kongblog import __version__

BOT_NAME = "kongblog"
SPIDER_MODULES = ["kongblog.spiders"]
NEWSPIDER_MODULE = "kongblog.spiders"
COMMANDS_MODULE = "kongblog.commands"

# --- Politeness -----------------------------------------------------------
# A site owner who sees our traffic must be able to tell who we are.
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
# A listing page is tens of kB: a page past 32 MiB is lost, not parsed on the reactor's thread
# at many times its size (Scrapy's default is 1 GiB).
DOWNLOAD_MAXSIZE = 32 * 1024 * 1024
# Scrapy stops fetching while this many bytes of responses are being processed (their items
# waiting for the store, say): about 20 listing pages, whose trees and items weigh several times their HTML.
SCRAPER_SLOT_MAX_ACTIVE_SIZE = 1_000_000
RETRY_TIMES = 3
# Pages of the listing asked for ahead of the last page that had cards: a pagination widget
# promising page 99,999 costs at most this many requests past the real last page.
KONGBLOG_PAGE_WINDOW = 10
TELNETCONSOLE_ENABLED = False  # it would print its password into every (Scrapyd-served) log
# Scrapy 2.19's remote control runs Python code sent to a local HTTP port: nothing a crawl needs.
REMOTE_CONTROL_ENABLED = False

# --- Output ---------------------------------------------------------------
FEED_EXPORT_ENCODING = "utf-8"  # JSON lines keep Unicode readable (no \u escapes)
LOG_LEVEL = "INFO"

# --- Item flow: validate -> deduplicate -> store ---------------------------
ITEM_PIPELINES = {
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
}

# --- Browser rendering (scrapy-playwright) ---------------------------------
# auto: a browser only for listing pages that come back without cards; always: every listing
# page; never: no browser at all.
KONGBLOG_RENDER = os.environ.get("KONGBLOG_RENDER", "auto")
# Chromium binary; unset: /usr/bin/chromium when present, else Playwright's own.
KONGBLOG_CHROMIUM_PATH = os.environ.get("KONGBLOG_CHROMIUM_PATH")
# Seconds to wait for post links in a rendered page, and for each later step (reading, closing it).
KONGBLOG_RENDER_WAIT = 10.0
# Seconds the browser gets to deliver a page at all; a page that misses it is lost, the crawl goes on.
KONGBLOG_RENDER_TIMEOUT = 60.0
# Chromium's sandbox: auto (kept wherever the kernel allows it, never as root), 1 or 0.
KONGBLOG_CHROMIUM_SANDBOX = os.environ.get("KONGBLOG_CHROMIUM_SANDBOX", "auto")
PLAYWRIGHT_BROWSER_TYPE = "chromium"
PLAYWRIGHT_MAX_CONTEXTS = 1
PLAYWRIGHT_MAX_PAGES_PER_CONTEXT = 2
PLAYWRIGHT_DEFAULT_NAVIGATION_TIMEOUT = 30_000

# --- MongoDB (the store pipeline is off unless MONGO_URI is set) ------------
MONGO_URI = os.environ.get("MONGO_URI")
MONGO_DATABASE = os.environ.get("MONGO_DATABASE") or "kongblog"
MONGO_COLLECTION = os.environ.get("MONGO_COLLECTION") or "posts"
# One bulk write per MONGO_BATCH_SIZE items, or every MONGO_FLUSH_INTERVAL seconds, and at close.
MONGO_BATCH_SIZE = 100
MONGO_FLUSH_INTERVAL = 5.0
# Batches written or waiting at once; past this, items wait (a slow store slows the crawl, not fills memory).
MONGO_MAX_QUEUED_BATCHES = 4
MONGO_SERVER_SELECTION_TIMEOUT_MS = 3000
MONGO_CONNECT_TIMEOUT_MS = 3000
MONGO_SOCKET_TIMEOUT_MS = 30000
MONGO_RETRY_WINDOW = 60.0  # seconds a failing batch is retried with backoff, then dead-lettered
MONGO_RETRY_INITIAL_DELAY = 0.5
MONGO_RETRY_MAX_DELAY = 8.0
# Items that could not be stored; replay them with `scrapy replay PATH`.
MONGO_DEAD_LETTER_PATH = os.environ.get("MONGO_DEAD_LETTER_PATH") or "data/dead-letter-{timestamp}.jsonl"
# Entries of a post's `history` kept (previous values, gaps while it was gone), newest last; 0 keeps none.
MONGO_HISTORY_LIMIT = 50

# --- Health checks (a failed check makes `scrapy crawl` exit 1) -------------
KONGBLOG_HEALTH_CHECKS = True
# The minimum share of cards that carry a field on a healthy listing page...
KONGBLOG_DEFAULT_MIN_COVERAGE = {"url": 1.0, "title": 1.0, "published": 1.0, "authors": 0.95, "excerpt": 0.95}
# ...and per-field overrides of it, e.g. -s 'KONGBLOG_MIN_COVERAGE={"authors": 0.9}'.
KONGBLOG_MIN_COVERAGE = {}
KONGBLOG_COVERAGE_MIN_CARDS = 40  # shares below 100 % are judged only on at least this many cards
KONGBLOG_MAX_INVALID_RATIO = 0.05  # of cards dropped by validation
KONGBLOG_MAX_ARTICLE_FAILURE_RATIO = 0.05  # of article pages (articles=1) that could not be read

# Stats as JSON at close, for schedulers and tests (unset: not written).
KONGBLOG_STATS_FILE = os.environ.get("KONGBLOG_STATS_FILE")
