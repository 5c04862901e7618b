"""Every stat key kongblog writes or reads, in one place: a constant, or the prefix of a family of keys
(one a field, one a drop reason) to which only a field's or a DropItem class's name is appended.

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
IMPLAUSIBLE_DATES = "kongblog/implausible_published"  # before 1990 or after tomorrow: kept, counted as doubts
MENTIONS_ELSEWHERE = "kongblog/post_links_outside_listing"  # sidebars, heroes: not cards
# A post no page's listing holds, shown as a card of its own outside it (a featured post): emitted as its page's.
SHOWN_OUTSIDE = "kongblog/posts_only_outside_listing"
SHOWN_OUTSIDE_NOT_EMITTED = "kongblog/posts_only_outside_listing_not_emitted"  # the crawl read part of the listing
SLUG_SPELLINGS = "kongblog/posts_linked_two_ways"  # the same slug linked encoded and not

# Cards and items.
CARDS = "kongblog/cards"
UNIQUE_CARDS = "kongblog/unique_cards"
FIELDS = "kongblog/fields/"  # + field name: cards carrying it
ITEMS_EMITTED = "kongblog/items_emitted"
DUPLICATES = "kongblog/duplicates"
THINNER_DUPLICATES = "kongblog/duplicates_on_neighbouring_pages"  # the thinner (or later) copy, dropped
INVALID_FIELDS = "kongblog/invalid/"  # + field name: problem fields, dropped or not
NULL_FIELDS = "kongblog/missing/"  # + field name: null on a kept post
REPLACEMENT_CHARS = "kongblog/replacement_characters/"  # + field name: fields holding U+FFFD

# Browser rendering.
RENDER_ESCALATED = "kongblog/render/escalated"
RENDER_PAGES = "kongblog/render/browser_pages"
RENDER_TIMEOUTS = "kongblog/render/timeouts"

# The blog's feed as a second source (kongblog/pipelines/second_source.py).
SECOND_SOURCE_ENTRIES = "kongblog/second_source/entries"  # posts the feed lists
SECOND_SOURCE_FILLED = "kongblog/second_source/filled"  # fields a card did not show, taken from the feed
SECOND_SOURCE_DISAGREED = "kongblog/second_source/disagreed"  # fields the card and the feed give differently
SECOND_SOURCE_FAILED = "kongblog/second_source/failed"  # a feed linked but not read (status, size cap, no feed)

# Incremental crawls and articles.
KNOWN_POSTS = "kongblog/incremental/known_posts"
NEW_POSTS = "kongblog/incremental/new_posts"
PAGES_SKIPPED = "kongblog/incremental/pages_skipped"
ARTICLES_ENRICHED = "kongblog/articles/enriched"
ARTICLES_FAILED = "kongblog/articles/failed"

# The store.
MONGO_UPSERTED = "kongblog/mongo/upserted"  # new documents
MONGO_MODIFIED = "kongblog/mongo/modified"  # stored posts whose card changed
MONGO_UNCHANGED = "kongblog/mongo/unchanged"
MONGO_STALE = "kongblog/mongo/stale"  # not written: the store holds a newer observation
MONGO_BACK = "kongblog/mongo/back"  # posts marked gone, seen again
MONGO_BATCHES = "kongblog/mongo/batches"
MONGO_MAX_QUEUED_BATCHES = "kongblog/mongo/max_queued_batches"
MONGO_RETRIES = "kongblog/mongo/retries"
MONGO_LOST = "kongblog/mongo/lost"  # neither stored nor dead-lettered
MONGO_DEAD_LETTERED = "kongblog/mongo/dead_lettered"
MONGO_GONE = "kongblog/mongo/gone"  # stored posts of the listing this healthy full crawl missed

# Scrapy's own, read by the summary, the health checks and the crawl command.
ITEMS_SCRAPED = "item_scraped_count"
ITEMS_DROPPED = "item_dropped_count"
DROP_REASONS = "item_dropped_reasons_count/"  # + the DropItem class's name
FINISH_REASON = "finish_reason"

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
