"""Reading listing pages without knowing their markup: ``listing`` finds the
main listing and reads its cards (``card``), the pagination widget
(``pagination``) and what each link points to (``links``), as raw strings
that :mod:`kongblog.loaders` normalises."""
