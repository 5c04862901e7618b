"""Every stat key kongblog writes, in one place.

Stats are for people and schedulers reading a finished crawl (``KONGBLOG_STATS_FILE``); components talk to each
other through :class:`kongblog.report.CrawlReport`, not through these.
"""

# Listing pages.
LISTING_PAGES = "kongblog/listing_pages"  # read with status 200
EMPTY_PAGES = "kongblog/empty_listing_pages"
LOST_PAGES = "kongblog/listing_pages_lost"
SKIPPED_PAGES = "kongblog/listing_pages_skipped"  # redirected elsewhere
FORBIDDEN_PAGES = "kongblog/listing_pages_forbidden"  # by robots.txt: not part of the listing
PAGES_PAST_END = "kongblog/listing_pages_past_end"  # 404s after the last page with cards
DOUBTS = "kongblog/doubts"  # inferences that disagreed with a second signal
DOUBT_EXAMPLES = "kongblog/doubt_examples"
MENTIONS_ELSEWHERE = "kongblog/post_links_outside_listing"  # sidebars, heroes: not cards
SLUG_SPELLINGS = "kongblog/posts_linked_two_ways"  # the same slug linked encoded and not

# Cards and items.
CARDS = "kongblog/cards"
UNIQUE_CARDS = "kongblog/unique_cards"
FIELDS = "kongblog/fields/"  # + field name: cards carrying it
ITEMS_EMITTED = "kongblog/items_emitted"
DUPLICATES = "kongblog/duplicates"
THINNER_DUPLICATES = "kongblog/duplicates_on_neighbouring_pages"  # the thinner (or later) copy, dropped
INVALID = "kongblog/invalid/"  # + field name
MISSING = "kongblog/missing/"  # + field name
REPLACEMENT_CHARS = "kongblog/replacement_characters/"  # + field name: fields holding U+FFFD

# Browser rendering.
RENDER_ESCALATED = "kongblog/render/escalated"
RENDER_PAGES = "kongblog/render/browser_pages"
RENDER_TIMEOUTS = "kongblog/render/timeouts"

# Incremental crawls and articles.
KNOWN_POSTS = "kongblog/incremental/known_posts"
NEW_POSTS = "kongblog/incremental/new_posts"
PAGES_SKIPPED = "kongblog/incremental/pages_skipped"
ARTICLES_ENRICHED = "kongblog/articles/enriched"
ARTICLES_FAILED = "kongblog/articles/failed"

# The store.
MONGO = "kongblog/mongo/"  # + upserted, modified, unchanged, stale, batches, retries, lost, ...
MONGO_DEAD_LETTERED = "kongblog/mongo/dead_lettered"
MONGO_GONE = "kongblog/mongo/gone"  # stored posts of the listing this healthy full crawl missed
MONGO_BACK = "kongblog/mongo/back"  # posts marked gone, seen again

# Scrapy's own, read by the summary and the health checks.
DROP_REASONS = "item_dropped_reasons_count/"  # + the exception's class name

# The verdict.
FAILED = "kongblog/failed"  # the reasons, joined
FAILURES = "kongblog/failures"  # the reasons, a list (bounded)
FAILURES_MORE = "kongblog/failures_more"  # how many more there were
HEALTH_FAILED_CHECKS = "kongblog/health/failed_checks"

# Requests Scrapy ignored, and article pages not read (the card is kept).
IGNORED = "kongblog/ignored_requests/"  # + cause: robots.txt, size cap, offsite
ARTICLES_OFF_HOST = "kongblog/articles/off_host"  # an article URL or redirect off the host: never requested
ARTICLES_OVERSIZED = "kongblog/articles/over_size_cap"  # KONGBLOG_ARTICLE_MAXSIZE
ARTICLES_TIMED_OUT = "kongblog/articles/extraction_timeouts"  # KONGBLOG_ARTICLE_TIMEOUT
