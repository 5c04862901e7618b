"""Reading listing pages without knowing their markup.

``listing`` finds the main listing and reads its cards (``card``), the
pagination widget (``pagination``) and what each link points to
(``links``); they return the page's raw strings, which
:mod:`kongblog.loaders` normalises.
"""
