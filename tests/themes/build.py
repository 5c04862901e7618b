"""Regenerate the corpus of real themes under tests/fixtures/themes/ (not run by CI).

Every theme is rendered UNMODIFIED with the posts of tests/themes/posts.py at the
Kong URL scheme (posts at /blog/engineering/<slug>/, the listing at /blog/engineering/,
its pages at /blog/engineering/page/N/), with authors, dates, summaries and covers
switched on by the theme's own documented settings. Only the listing pages are kept,
with a truth.json per theme and one manifest.json.

The engines live outside the project, never in its .venv or requirements: a virtualenv
(/work/themes-env: Pelican, MkDocs Material, Nikola, Sphinx + ABlog), npm projects under
/work/themes-build (Hexo and its themes, Eleventy's starter) and Debian's jekyll; the
exact commands are in docs/themes.md, "Regenerating".

Usage: python tests/themes/build.py [THEME ...]   (no argument: every theme)
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
sys.path.insert(0, str(REPO))

from tests.themes import engines  # noqa: E402
from tests.themes.posts import LISTING, pages, posts  # noqa: E402

FIXTURES = REPO / "tests" / "fixtures" / "themes"
WORK = Path(os.environ.get("THEMES_BUILD", "/work/themes-build"))


def listing_files(site: Path, page_count: int, second: int = 2) -> list[Path]:
    """The rendered listing pages, relative to *site*: page 1 and /page/N/ (N from *second* on)."""
    root = LISTING.strip("/")
    files = [Path(root, "index.html")]
    files += [Path(root, "page", str(n), "index.html") for n in range(second, second + page_count - 1)]
    missing = [str(f) for f in files if not (site / f).is_file()]
    if missing:
        raise SystemExit(f"listing pages not rendered: {missing}")
    extra = site / root / "page" / str(second + page_count - 1) / "index.html"
    if extra.exists():
        raise SystemExit(f"more listing pages than expected: {extra}")
    return files


def vendor(name: str, site: Path, meta: dict) -> None:
    target = FIXTURES / name
    if target.exists():
        shutil.rmtree(target)
    page_size = meta.get("page_size", 10)
    page_count = len(pages(size=page_size))
    for number, (relative, page) in enumerate(zip(listing_files(site, page_count, meta.get("second_page_number", 2)), pages(size=page_size)), 1):
        html = (site / relative).read_text(encoding="utf-8")
        if f"{page[0].slug}/" not in html:  # an engine error can leave an empty page behind
            raise SystemExit(f"{name}: listing page {number} does not link its first post {page[0].slug}")
        (target / relative).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(site / relative, target / relative)
    truth = {
        "theme": name,
        "shows": meta["shows"],
        "unchecked": meta.get("unchecked", {}),  # slug -> fields the card shows otherwise (see notes)
        "page_size": page_size,
        "pages": page_count,
        "posts": [post.truth(meta.get("image_path_format")) for post in posts()],
    }
    (target / "truth.json").write_text(json.dumps(truth, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    manifest_path = FIXTURES / "manifest.json"
    manifest = json.loads(manifest_path.read_text()) if manifest_path.exists() else {}
    manifest[name] = {key: value for key, value in meta.items()}
    manifest_path.write_text(json.dumps(dict(sorted(manifest.items())), ensure_ascii=False, indent=1) + "\n",
                             encoding="utf-8")
    print(f"{name}: {page_count} listing pages vendored")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("themes", nargs="*", help="theme names (engine-theme); default: all")
    options = parser.parse_args()
    wanted = options.themes or list(engines.THEMES)
    for name in wanted:
        build = engines.THEMES[name]
        site, meta = build(WORK / name)
        vendor(name, site, meta)


if __name__ == "__main__":
    main()
