"""The MongoDB store: the only package that speaks pymongo.

``uri``          credentials masked in everything a person reads
``config``       the MONGO_* settings, and failures that say what to fix
``documents``    a post's document and the updates that write it (history included)
``posts``        PostStore: async writes with retries, gone marks, reads
``deadletters``  posts that could not be stored, for ``scrapy replay``
``known``        the posts an incremental crawl already has
``history``      a post's changes, from its document or from earlier exports

The Scrapy side is :mod:`kongblog.pipelines.store`; the commands are
``scrapy replay`` and ``scrapy history``.
"""
