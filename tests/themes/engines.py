"""One builder a theme: write the posts in the engine's format, configure the engine
with the theme's documented settings, render, and say what the theme's cards show.

Each builder takes a scratch directory and returns (rendered site directory, manifest entry).
"""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

from tests.themes.posts import PAGE_SIZE, Post, posts

ENV = Path(os.environ.get("THEMES_ENV", "/work/themes-env"))
BUILD = Path(os.environ.get("THEMES_BUILD", "/work/themes-build"))
PY = ENV / "bin" / "python"


def run(command: list[str], cwd: Path, env: dict | None = None) -> str:
    result = subprocess.run(command, cwd=cwd, capture_output=True, text=True,
                            env={**os.environ, "TZ": "UTC", **(env or {})})
    if result.returncode != 0:
        raise SystemExit(f"{' '.join(map(str, command))} failed:\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}")
    return result.stdout


def env_version(distribution: str) -> str:
    return run([str(PY), "-c", f"import importlib.metadata as m; print(m.version({distribution!r}))"], BUILD).strip()


def npm_version(project: Path, package: str) -> str:
    return json.loads((project / "node_modules" / package / "package.json").read_text())["version"]


def fresh(directory: Path) -> Path:
    if directory.exists():
        subprocess.run(["rm", "-rf", str(directory)], check=True)
    directory.mkdir(parents=True)
    return directory


# What a theme's cards show, field by field, and how the crawl's value is compared with the truth:
#   exact   the card shows the field: the crawl must give the truth's value
#   absent  the card never shows it: the crawl must give null ([] for authors), nothing invented
#   prefix  the card shows the text cut short by the theme: the crawl's excerpt must be a
#           word-boundary prefix of the summary, at least 60 characters, with excerpt_truncated true
EXACT, ABSENT, PREFIX = "exact", "absent", "prefix"


def cards(title=EXACT, published=EXACT, authors=EXACT, excerpt=EXACT, image_url=ABSENT) -> dict:
    return {"title": title, "published": published, "authors": authors, "excerpt": excerpt, "image_url": image_url}


# --------------------------------------------------------------------------- Pelican

PELICAN_CONF = """\
AUTHOR = "Kong"
SITENAME = "Kong Engineering"
SITEURL = ""
RELATIVE_URLS = False
TIMEZONE = "UTC"
DEFAULT_LANG = "en"
PATH = "content"
THEME = {theme!r}
ARTICLE_URL = "blog/engineering/{{slug}}/"
ARTICLE_SAVE_AS = "blog/engineering/{{slug}}/index.html"
INDEX_SAVE_AS = "blog/engineering/index.html"
DEFAULT_PAGINATION = {page_size}
PAGINATION_PATTERNS = (
    (1, "{{url}}", "{{save_as}}"),
    (2, "{{base_name}}/page/{{number}}/", "{{base_name}}/page/{{number}}/index.html"),
)
SUMMARY_MAX_LENGTH = None
FEED_ALL_ATOM = None
CATEGORY_FEED_ATOM = None
TRANSLATION_FEED_ATOM = None
AUTHOR_FEED_ATOM = None
AUTHOR_FEED_RSS = None
DEFAULT_CATEGORY = "Engineering"
STATIC_PATHS = []
{extra}
"""


def pelican_markdown(post: Post, extra: dict[str, str]) -> str:
    lines = [
        f"Title: {post.title}",
        f"Slug: {post.slug}",
        f"Date: {post.published.isoformat()} 10:00",
        f"Authors: {', '.join(post.authors)}",
        "Category: Engineering",
        f"Summary: {post.summary}",
    ]
    lines += [f"{key}: {value.format(post=post)}" for key, value in extra.items()]
    return "\n".join(lines) + "\n\n" + "\n\n".join(post.body) + "\n"


def pelican(theme: str, theme_path: str | None = None, extra_conf: str = "", metadata: dict | None = None,
            shows: dict | None = None, theme_version: str | None = None, notes: str = "",
            unchecked: dict | None = None):
    def build(work: Path):
        fresh(work)
        content = work / "content"
        content.mkdir()
        for post in posts():
            (content / f"{post.slug}.md").write_text(pelican_markdown(post, metadata or {}), encoding="utf-8")
        conf = PELICAN_CONF.format(theme=theme_path or theme, page_size=PAGE_SIZE, extra=extra_conf)
        (work / "pelicanconf.py").write_text(conf, encoding="utf-8")
        run([str(ENV / "bin" / "pelican"), "content", "-o", "output", "-s", "pelicanconf.py"], work)
        meta = {
            "engine": "pelican", "engine_version": env_version("pelican"), "theme": theme,
            "theme_version": theme_version or f"built into pelican {env_version('pelican')}",
            "page_size": PAGE_SIZE, "shows": shows or {}, "notes": notes,
            "settings": {"pelicanconf": extra_conf, "metadata": metadata or {}},
            "unchecked": unchecked or {},
        }
        return work / "output", meta
    return build


def mirror(repo: str, subdir: str = "") -> tuple[Path, str]:
    """A theme taken unmodified from a git snapshot of its repository (the search tool's
    `fetch` puts them in /work/.mirror/<owner>+<name>/repo): exported to the build area.
    Returns (theme directory, "owner/name@commit")."""
    git_dir = Path(os.environ.get("THEMES_MIRRORS", "/work/.mirror")) / repo.replace("/", "+") / "repo"
    commit = subprocess.run(["git", "rev-parse", "HEAD"], cwd=git_dir, capture_output=True, text=True,
                            check=True).stdout.strip()
    target = fresh(BUILD / "src" / repo.replace("/", "+"))
    archive = subprocess.run(["git", "archive", "HEAD"], cwd=git_dir, capture_output=True, check=True).stdout
    subprocess.run(["tar", "-x", "-C", str(target)], input=archive, check=True)
    return target / subdir, f"{repo}@{commit}"


def pelican_mirror(repo: str, subdir: str = "", **options):
    def build(work: Path):
        theme_dir, origin = mirror(repo, subdir)
        inner = pelican(repo.split("/")[1], theme_path=str(theme_dir), theme_version=origin, **options)
        return inner(work)
    return build


THEMES = {
    "pelican-notmyidea": pelican(
        "notmyidea", shows=cards(), unchecked={posts()[0].slug: ["excerpt"]},
        notes="page 1 shows its newest post in full (a featured article above the list): "
              "that post's excerpt is not compared"),
    "pelican-simple": pelican("simple", shows=cards()),
    "pelican-flex": pelican_mirror(
        "alexandrevicenzi/Flex",
        # The theme's base template calls gettext: Flex documents the i18n_subsites plugin
        # (pelican-i18n-subsites on PyPI, a namespace plugin Pelican loads by itself) and
        # Jinja's i18n extension.
        extra_conf='JINJA_ENVIRONMENT = {"extensions": ["jinja2.ext.i18n"]}\n',
        metadata={"featured_image": "{post.image}"},
        shows=cards(authors=ABSENT, image_url=EXACT),
        notes="post links carry a #slug fragment; cards name no author"),
    "pelican-alchemy": pelican_mirror("nairobilug/pelican-alchemy", "alchemy", shows=cards(),
                                      notes="date, category and comma-joined author links in a list beside the title"),
    "pelican-clean-blog": pelican_mirror(
        "gilsondev/pelican-clean-blog", shows=cards(excerpt=PREFIX),
        notes="summary cut by the theme to 140 characters with '...'; byline 'Posted by A B C on <date>'"),
}


# --------------------------------------------------------------------------- Hexo

HEXO = BUILD / "hexo"  # npm project holding hexo, its renderers and the themes

HEXO_CONFIG = """\
title: Kong Engineering
author: Kong
language: en
timezone: UTC
url: http://example.com
root: /
permalink: blog/engineering/:title/
pretty_urls:
  trailing_index: false
  trailing_html: false
source_dir: source
public_dir: public
new_post_name: :title.md
per_page: {page_size}
pagination_dir: page
index_generator:
  path: {index_path}
  per_page: {page_size}
  order_by: -date
date_format: {date_format}
theme: {theme}
{site_extra}"""


def hexo_markdown(post: Post, front: dict) -> str:
    lines = ["---", f"title: {json.dumps(post.title, ensure_ascii=False)}",
             f"date: {post.published.isoformat()} 10:00:00",
             # fixed, or Hexo takes the file's mtime and the fixtures change on every build
             f"updated: {post.published.isoformat()} 10:00:00",
             f"author: {json.dumps(', '.join(post.authors), ensure_ascii=False)}",
             "categories:", "  - Engineering", "tags:", "  - api"]
    for key, value in front.items():
        rendered = value.format(image=post.image, summary=post.summary, alt=post.image_alt)
        if key.endswith("[]"):
            lines += [f"{key[:-2]}:", f"  - {rendered}"]
        else:
            lines.append(f"{key}: {json.dumps(rendered, ensure_ascii=False)}")
    lines.append("---")
    return "\n".join(lines) + "\n" + post.body[0] + "\n\n<!-- more -->\n\n" + "\n\n".join(post.body[1:]) + "\n"


def hexo(theme: str, front: dict | None = None, theme_config: str = "", shows: dict | None = None,
         date_format: str = "YYYY-MM-DD", notes: str = "", unchecked: dict | None = None, site_config: str = "",
         index_path: str = "blog/engineering"):
    def build(work: Path):
        fresh(work)
        (work / "node_modules").symlink_to(HEXO / "node_modules")
        package = json.loads((HEXO / "package.json").read_text())
        package["hexo"] = {"version": npm_version(HEXO, "hexo")}  # how hexo-cli recognises a site
        # NexT registers its own Nunjucks renderer and breaks beside hexo-renderer-nunjucks.
        package["dependencies"].pop("hexo-renderer-nunjucks", None)
        (work / "package.json").write_text(json.dumps(package, indent=1))
        posts_dir = work / "source" / "_posts"
        posts_dir.mkdir(parents=True)
        for post in posts():
            (posts_dir / f"{post.slug}.md").write_text(hexo_markdown(post, front or {}), encoding="utf-8")
        (work / "_config.yml").write_text(
            HEXO_CONFIG.format(page_size=PAGE_SIZE, theme=theme, date_format=date_format, site_extra=site_config,
                               index_path=json.dumps(index_path)),
            encoding="utf-8")
        (work / f"_config.{theme}.yml").write_text(theme_config, encoding="utf-8")
        run(["npx", "hexo", "generate"], work)
        meta = {
            "engine": "hexo", "engine_version": npm_version(HEXO, "hexo"), "theme": f"hexo-theme-{theme}",
            "theme_version": f"npm {npm_version(HEXO, f'hexo-theme-{theme}')}",
            "page_size": PAGE_SIZE, "shows": shows or {},
            "settings": {"front_matter": front or {}, "theme_config": theme_config, "_config.yml": site_config},
            "notes": notes, "unchecked": unchecked or {},
        }
        return work / "public", meta
    return build


THEMES.update({
    "hexo-landscape": hexo("landscape", front={"photos[]": "{image}"},
                           shows=cards(authors=ABSENT, image_url=EXACT),
                           notes="cover through the documented `photos` gallery; 'Read More' link inside the excerpt's element"),
    "hexo-next": hexo("next", front={"description": "{summary}"}, shows=cards(authors=ABSENT),
                      notes="no cover on index cards; 'Posted on' date"),
    # The same theme with its documented switch for dates off: a listing whose cards show no date.
    "hexo-next-nodate": hexo("next", front={"description": "{summary}"},
                             theme_config="post_meta:\n  created_at: false\n  updated_at:\n    enable: false\n",
                             shows=cards(authors=ABSENT, published=ABSENT),
                             notes="post_meta.created_at: false, post_meta.updated_at.enable: false"),
    # The listing is the theme's archive page (Hexo's documented archive_dir), the home page elsewhere.
    "hexo-next-archive": hexo("next", front={"description": "{summary}"}, index_path="",
                              site_config="archive_dir: blog/engineering\narchive_generator:\n  per_page: "
                                          f"{PAGE_SIZE}\n  yearly: false\n  monthly: false\n  daily: false\n",
                              shows=cards(authors=ABSENT, excerpt=ABSENT),
                              notes="NexT's archive as the listing: a year heading, then title links each with "
                                    "an MM-DD date (full date in the datetime attribute)"),
    "hexo-fluid": hexo("fluid", front={"index_img": "{image}", "excerpt": "{summary}"},
                       shows=cards(authors=ABSENT, image_url=EXACT),
                       notes="the excerpt is itself a link to the post"),
    "hexo-butterfly": hexo("butterfly", front={"cover": "{image}", "description": "{summary}"},
                           theme_config="index_post_content:\n  method: 1\n",
                           shows=cards(authors=ABSENT, image_url=EXACT),
                           notes="index_post_content.method 1: the description is the card's text"),
    "hexo-keep": hexo("keep", front={"home_cover": "{image}"},
                      theme_config="home:\n  post_datetime: created\n",
                      shows=cards(authors=ABSENT, image_url=EXACT),
                      notes="home.post_datetime: created (the default shows the last-updated time)"),
    "hexo-icarus": hexo("icarus", front={"cover": "{image}", "thumbnail": "{image}"}, shows=cards(image_url=EXACT),
                        notes="'Posted' and 'Updated' dates; the author front matter shown as one "
                              "comma-separated string"),
    "hexo-stellar": hexo("stellar", front={"cover": "{image}", "description": "{summary}"},
                         shows=cards(published=ABSENT, authors=ABSENT, image_url=EXACT),
                         notes="the whole card is one link holding the title and the description; no date; "
                               "the cover lazy-loaded (placeholder data: src, real URL in data-src and a "
                               "--cover-url style)"),
    "hexo-reimu": hexo("reimu", front={"cover": "{image}"}, shows=cards(authors=ABSENT, image_url=EXACT),
                       unchecked={post.slug: ["excerpt"] for post in posts() if "&" in post.summary or "/" in post.summary},
                       notes="date, word count and reading time above the title; lazy-loaded cover (data-src only); "
                             "the theme escapes excerpts twice, so a reader sees '&amp;' and '&#x2F;': those "
                             "two excerpts are not compared"),
    "hexo-yun": hexo("yun", front={"cover": "{image}"}, shows=cards(),
                     notes="the author front matter shown as one comma-separated string beside the date; "
                           "no cover on cards"),
    "hexo-async": hexo("async", front={"cover": "{image}", "description": "{summary}"},
                       shows=cards(authors=ABSENT, excerpt=ABSENT, image_url=EXACT),
                       notes="date as YY/MM/DD and time in two elements ('23/10/08' '10:00'); no excerpt on cards"),
    "hexo-kratos-rebirth": hexo("kratos-rebirth", front={"cover": "{image}", "description": "{summary}"},
                                shows=cards(authors=ABSENT, image_url=EXACT)),
    "hexo-redefine": hexo("redefine", front={"thumbnail": "{image}"},
                          shows=cards(authors=ABSENT, image_url=EXACT)),
})


# --------------------------------------------------------------------------- MkDocs Material (blog plugin)

def author_id(name: str) -> str:
    return f"a{sum(map(ord, name)) % 100000}"  # stable ASCII id for any script


def mkdocs_material(shows: dict | None = None, extra_plugin: str = "", notes: str = ""):
    def build(work: Path):
        fresh(work)
        blog = work / "docs" / "blog" / "engineering"
        (blog / "posts").mkdir(parents=True)
        (work / "docs" / "index.md").write_text("# Kong Engineering\n")
        (blog / "index.md").write_text("# Engineering\n")
        names = sorted({name for post in posts() for name in post.authors})
        authors = ["authors:"]
        for name in names:
            authors += [f"  {author_id(name)}:", f"    name: {json.dumps(name, ensure_ascii=False)}",
                        "    description: Engineer", f"    avatar: /images/avatars/{author_id(name)}.png"]
        (blog / ".authors.yml").write_text("\n".join(authors) + "\n", encoding="utf-8")
        for post in posts():
            front = ["---", f"date: {post.published.isoformat()}",
                     "authors:", *[f"  - {author_id(name)}" for name in post.authors],
                     "categories:", "  - Engineering", f"slug: {post.slug}", "---"]
            text = "\n".join(front) + f"\n\n# {post.title}\n\n{post.body[0]}\n\n<!-- more -->\n\n" + \
                "\n\n".join(post.body[1:]) + "\n"
            (blog / "posts" / f"{post.slug}.md").write_text(text, encoding="utf-8")
        (work / "mkdocs.yml").write_text(f"""\
site_name: Kong Engineering
site_url: http://example.com/
theme:
  name: material
plugins:
  - blog:
      blog_dir: blog/engineering
      post_url_format: "{{slug}}"
      post_excerpt: required
      pagination_per_page: {PAGE_SIZE}
      pagination_url_format: "page/{{page}}"
      authors: true
      post_excerpt_max_authors: 3
{extra_plugin}""", encoding="utf-8")
        run([str(ENV / "bin" / "mkdocs"), "build", "-d", "site"], work)
        meta = {
            "engine": "mkdocs", "engine_version": env_version("mkdocs"), "theme": "material (blog plugin)",
            "theme_version": f"mkdocs-material {env_version('mkdocs-material')}",
            "page_size": PAGE_SIZE, "shows": shows or {}, "notes": notes,
        }
        return work / "site", meta
    return build


THEMES["mkdocs-material"] = mkdocs_material(
    shows=cards(),
    notes="authors are shown as avatar images whose alt text is the name (post_excerpt_max_authors: 3); "
          "avatars are not covers, so image_url is absent")


# --------------------------------------------------------------------------- Nikola

NIKOLA_CONF = """

# ---- kongblog theme corpus: the Kong URL scheme and every card field switched on
BLOG_AUTHOR = "Kong"
BLOG_TITLE = "Kong Engineering"
SITE_URL = "http://example.com/"
URL_TYPE = "full_path"
TIMEZONE = "UTC"
THEME = {theme!r}
POSTS = (("posts/*.md", "blog/engineering", "post.tmpl"),)
PAGES = ()
POSTS_SECTIONS = False  # a section index would take the listing's own path
PRETTY_URLS = True
INDEX_PATH = "blog/engineering"
INDEXES_STATIC = False
INDEXES_PRETTY_PAGE_URL = ["page", "{{number}}", "{{index_file}}"]
INDEX_DISPLAY_POST_COUNT = {page_size}
INDEX_TEASERS = True
MULTIPLE_AUTHORS_PER_POST = True
GENERATE_RSS = False
GENERATE_ATOM = False
SHOW_SOURCELINK = False
"""


NIKOLA_NOTES = ("Newer/Older posts links only (no numbered widget); the second page is page/1/; "
                "date and time '2023-10-08 10:00'")


def nikola(theme: str, shows: dict | None = None, notes: str = ""):
    def build(work: Path):
        if work.exists():
            subprocess.run(["rm", "-rf", str(work)], check=True)
        run([str(ENV / "bin" / "nikola"), "init", "-q", str(work)], work.parent)
        with open(work / "conf.py", "a", encoding="utf-8") as conf:
            conf.write(NIKOLA_CONF.format(theme=theme, page_size=PAGE_SIZE))
        (work / "posts").mkdir(exist_ok=True)
        for post in posts():
            meta = ["<!--", f".. title: {post.title}", f".. slug: {post.slug}",
                    f".. date: {post.published.isoformat()} 10:00:00 UTC",
                    f".. author: {', '.join(post.authors)}", ".. category: Engineering", ".. tags: api",
                    f".. description: {post.summary}", "-->"]
            text = "\n".join(meta) + f"\n\n{post.body[0]}\n\n<!-- TEASER_END -->\n\n" + "\n\n".join(post.body[1:]) + "\n"
            (work / "posts" / f"{post.slug}.md").write_text(text, encoding="utf-8")
        run([str(ENV / "bin" / "nikola"), "build"], work)
        meta = {
            "engine": "nikola", "engine_version": env_version("nikola"), "theme": theme,
            "theme_version": f"built into nikola {env_version('nikola')}",
            "page_size": PAGE_SIZE, "shows": shows or {}, "notes": notes,
            # Nikola numbers the pages after the first from 1 (page/1/ is the second page);
            # INDEXES_PAGES_MAIN = True would number them from 2 but fails to build here
            # ("duplicated definition of render_taxonomies:output/blog/engineering/index.html").
            "second_page_number": 1,
        }
        return work / "output", meta
    return build


THEMES.update({
    "nikola-bootblog4": nikola("bootblog4", shows=cards(), notes=NIKOLA_NOTES),
    "nikola-bootstrap4": nikola("bootstrap4", shows=cards(), notes=NIKOLA_NOTES),
    "nikola-base": nikola("base", shows=cards(), notes=NIKOLA_NOTES),
})


# --------------------------------------------------------------------------- Jekyll (Debian package)

def jekyll_version() -> str:
    return run(["jekyll", "--version"], BUILD).split()[-1]


def jekyll(theme: str, config: str, theme_dir: tuple[str, str] | None = None, page_size: int = PAGE_SIZE,
           shows: dict | None = None, notes: str = "", theme_version: str = ""):
    """*theme_dir*: (repository, subdir) of a theme taken from its git snapshot and used as the
    site's own theme folders; otherwise *theme* is a gem installed by Debian."""
    def build(work: Path):
        fresh(work)
        origin = theme_version
        if theme_dir:
            source, origin = mirror(*theme_dir)
            for folder in ("_layouts", "_includes", "_sass", "assets"):
                if (source / folder).exists():
                    subprocess.run(["cp", "-r", str(source / folder), str(work / folder)], check=True)
        (work / "_config.yml").write_text(config.format(theme=theme, page_size=page_size), encoding="utf-8")
        listing = work / "blog" / "engineering"
        listing.mkdir(parents=True)
        (listing / "index.html").write_text("---\nlayout: home\ntitle: Engineering\n---\n", encoding="utf-8")
        (work / "_posts").mkdir()
        for post in posts():
            front = ["---", "layout: post", f"title: {json.dumps(post.title, ensure_ascii=False)}",
                     f"date: {post.published.isoformat()} 10:00:00 +0000",
                     f"author: {json.dumps(list(post.authors), ensure_ascii=False)}",
                     f"image: {post.image}", "---"]
            text = "\n".join(front) + "\n\n" + "\n\n".join(post.body) + "\n"
            (work / "_posts" / f"{post.published.isoformat()}-{post.slug}.md").write_text(text, encoding="utf-8")
        run(["jekyll", "build", "-d", "_site"], work)
        meta = {
            "engine": "jekyll", "engine_version": jekyll_version(), "theme": theme,
            "theme_version": origin, "page_size": page_size, "shows": shows or {}, "notes": notes,
            "settings": {"_config.yml": config.format(theme=theme, page_size=page_size)},
        }
        return work / "_site", meta
    return build


JEKYLL_CONFIG = """\
title: Kong Engineering
url: http://example.com
timezone: UTC
permalink: /blog/engineering/:title/
excerpt_separator: "\\n\\n"
{extra}
"""

THEMES.update({
    "jekyll-minima-2.5": jekyll(
        "minima", JEKYLL_CONFIG.format(extra="theme: minima\nshow_excerpts: true\nplugins:\n  - jekyll-feed\n  - jekyll-seo-tag"),
        page_size=len(posts()), theme_version="Debian jekyll-theme-minima 2.5.1-2",
        shows=cards(authors=ABSENT),
        notes="minima 2.5 lists every post on one page (no pagination in its home layout)"),
    "jekyll-minima-3": jekyll(
        "minima", JEKYLL_CONFIG.format(extra="minima:\n  show_excerpts: true\npaginate: {page_size}\n"
                                       "paginate_path: /blog/engineering/page/:num/\n"
                                       "plugins:\n  - jekyll-paginate\n  - jekyll-feed\n  - jekyll-seo-tag"),
        theme_dir=("jekyll/minima", ""), shows=cards(authors=ABSENT),
        notes="numbered pager showing only the previous, current and next page"),
})


# --------------------------------------------------------------------------- Sphinx + ABlog

# A 1x1 JPEG: Sphinx copies an image only if the file exists (to /_images/).
TINY_JPEG = bytes.fromhex(
    "ffd8ffe000104a46494600010100000100010000ffdb004300080606070605080707070909080a0c140d0c0b0b0c1912130f141d1a1f"
    "1e1d1a1c1c20242e2720222c231c1c2837292c30313434341f27393d38323c2e333432ffc0000b080001000101011100ffc4001f0000"
    "010501010101010100000000000000000102030405060708090a0bffc400b5100002010303020403050504040000017d010203000411"
    "05122131410613516107227114328191a1082342b1c11552d1f02433627282090a161718191a25262728292a3435363738393a434445"
    "464748494a535455565758595a636465666768696a737475767778797a838485868788898a92939495969798999aa2a3a4a5a6a7a8a9"
    "aab2b3b4b5b6b7b8b9bac2c3c4c5c6c7c8c9cad2d3d4d5d6d7d8d9dae1e2e3e4e5e6e7e8e9eaf1f2f3f4f5f6f7f8f9faffda0008010100"
    "003f00fbd3ffd9")


def ablog(html_theme: str = "alabaster", shows: dict | None = None, notes: str = ""):
    def build(work: Path):
        fresh(work)
        blog = work / "blog" / "engineering"
        blog.mkdir(parents=True)
        (work / "images" / "covers").mkdir(parents=True)
        names = sorted({name for post in posts() for name in post.authors})
        conf = [
            'project = "Kong Engineering"', 'extensions = ["ablog"]', 'blog_path = "blog/engineering"',
            'blog_title = "Kong Engineering"', 'blog_baseurl = "http://example.com/"',
            f"blog_authors = {{{', '.join(f'{author_id(n)!r}: ({n!r}, None)' for n in names)}}}",
            "post_auto_excerpt = 1  # the first paragraph", "post_auto_image = 1  # the first image",
            f"html_theme = {html_theme!r}", "blog_feed_archives = False", "blog_feed_fulltext = False",
        ]
        (work / "conf.py").write_text("\n".join(conf) + "\n", encoding="utf-8")
        (work / "index.rst").write_text("Kong\n====\n\n.. toctree::\n   :glob:\n\n   blog/engineering/*\n")
        for post in posts():
            (work / post.image.lstrip("/")).write_bytes(TINY_JPEG)
            underline = "=" * (len(post.title) * 2)
            text = (f".. post:: {post.published.strftime('%b %d, %Y')}\n"
                    f"   :author: {', '.join(author_id(n) for n in post.authors)}\n   :category: Engineering\n\n"
                    f"{post.title}\n{underline}\n\n{post.body[0]}\n\n.. image:: {post.image}\n   :alt: {post.image_alt}\n\n"
                    + "\n\n".join(post.body[1:]) + "\n")
            (blog / f"{post.slug}.rst").write_text(text, encoding="utf-8")
        run([str(ENV / "bin" / "sphinx-build"), "-q", "-b", "dirhtml", ".", "_build"], work)
        meta = {
            "engine": "sphinx", "engine_version": env_version("sphinx"), "theme": f"ablog ({html_theme})",
            "theme_version": f"ablog {env_version('ablog')}, {html_theme} {env_version(html_theme)}",
            "page_size": len(posts()), "shows": shows or {}, "notes": notes,
            "image_path_format": "/_images/{slug}.jpg",
        }
        return work / "_build", meta
    return build


THEMES["sphinx-ablog"] = ablog(
    shows=cards(image_url=EXACT),
    notes="every post on one page ('All Posts'); 'Author: A , B' list items; the first image of the post "
          "(post_auto_image) inside the excerpt's paragraph; Sphinx copies covers to /_images/")


# --------------------------------------------------------------------------- Eleventy (eleventy-base-blog)

ELEVENTY = BUILD / "eleventy"  # the starter's own dependencies: `npm ci` in a copy of its repository


def eleventy_base_blog(shows: dict | None = None, notes: str = ""):
    def build(work: Path):
        fresh(work)
        source, origin = mirror("11ty/eleventy-base-blog")
        subprocess.run(["cp", "-r", f"{source}/.", str(work)], check=True)
        (work / "node_modules").symlink_to(ELEVENTY / "node_modules")
        # The starter's sample posts are content, not theme: replaced by ours.
        blog = work / "content" / "blog"
        for sample in blog.iterdir():
            if sample.name != "blog.11tydata.js":
                subprocess.run(["rm", "-rf", str(sample)], check=True)
        (blog / "engineering").mkdir()
        for post in posts():
            front = ["---", f"title: {json.dumps(post.title, ensure_ascii=False)}",
                     f"description: {json.dumps(post.summary, ensure_ascii=False)}",
                     f"date: {post.published.isoformat()}", "tags: api", "---"]
            (blog / "engineering" / f"{post.slug}.md").write_text(
                "\n".join(front) + "\n" + "\n\n".join(post.body) + "\n", encoding="utf-8")
        # The archive page (content/blog.njk, unchanged) moved to the listing's URL by a template data file.
        (work / "content" / "blog.11tydata.json").write_text('{"permalink": "/blog/engineering/"}\n')
        run(["npx", "@11ty/eleventy", "--quiet"], work)
        meta = {
            "engine": "eleventy", "engine_version": npm_version(ELEVENTY, "@11ty/eleventy"),
            "theme": "eleventy-base-blog", "theme_version": origin, "page_size": len(posts()),
            "shows": shows or {}, "notes": notes,
        }
        return work / "_site", meta
    return build


THEMES["eleventy-base-blog"] = eleventy_base_blog(
    shows=cards(authors=ABSENT, excerpt=ABSENT),
    notes="the archive: an <ol> of title links, each with a <time> whose text shows only month and year "
          "('November 2023') and whose datetime attribute the full date; every post on one page")
