"""The MongoDB store, the only package that speaks pymongo (docs/mongo.md).

The Scrapy side is :mod:`kongblog.pipelines.store`; the commands are ``scrapy replay`` and ``scrapy history``.
"""
