"""ARTICLE pages (one per post at /blog/<category>/<slug>) and their truth.

Every article page has ``<link rel="canonical">``, OpenGraph tags,
``article:published_time`` / ``article:modified_time`` meta tags and a
JSON-LD ``BlogPosting`` (headline, datePublished, dateModified, author
names), the usual chrome (header nav, promo "See AI Gateway in Action",
footer), a visible "N min read" for most posts, an author block with a role
line for authors in ``AUTHOR_ROLES`` and a body of 3-8 ``<p>`` paragraphs
(some with inline ``<a>``, ``<em>``, ``<code>``) inside the ``<article>``.

Article truth (``article_truth``):
  body_text             body paragraph texts joined by "\\n\\n", whitespace
                        collapsed within each paragraph (``text.collapse``)
  word_count            len(body_text.split())
  reading_time_minutes  the value the page shows, else ceil(word_count / 238)
  reading_time_shown    whether the page shows "N min read"
  author_roles          {name: role} for the roles the page shows
  canonical_url         href of <link rel="canonical">
  modified              content of article:modified_time, as written (an ISO
                        date or an ISO datetime string)
"""

from __future__ import annotations

import json
import math
import random
from datetime import timedelta

from . import layout
from .content import REVISED_POSTS, Blog, Post
from .layout import Soup
from .text import attr, collapse, esc, long_date, slugify, stable_hash

WORDS_PER_MINUTE = 238

AUTHOR_ROLES = {
    "Danny Freese": "Senior Solutions Engineer",
    "Priya Natarajan": "Staff Engineer, Gateway",
    "Marcus Chen": "Developer Advocate",
    "José Müller": "Principal Architect",
    "Zoë Brückner": "Product Manager, Konnect",
    "Lars Eriksen": "Site Reliability Engineer",
    "Mei Lin": "Software Engineer",
    "Yuki Tanaka": "Engineering Manager",
    "Sofia Rossi": "Design & Front-end Engineer",
    "Chloé Martin": "Solutions Architect",
}

_BODY_SENTENCES = (
    "The first thing to settle is where configuration lives and who is allowed to change it.",
    "We keep every gateway change in version control and apply it from a pipeline.",
    "Latency budgets are easier to defend when each hop reports its own timing.",
    "A staging environment that mirrors production traffic shapes catches most surprises.",
    "Plugins run in a defined order, and that order matters more than people expect.",
    "Health checks should reflect what users experience, not only whether a port is open.",
    "When a dependency slows down, shedding load early protects everything behind it.",
    "Secrets belong in a vault, referenced by name rather than copied into files.",
    "Dashboards are useful, but alerts on symptoms are what wake the right person up.",
    "Rolling upgrades work best when nodes can drain connections gracefully.",
    "Consumers and credentials map cleanly onto the teams that own each client.",
    "Caching at the edge turns many repeated reads into a single upstream call.",
    "Good defaults matter, because most teams never revisit the settings they start with.",
    "A runbook that fits on one screen gets used; a wiki page of fifty sections does not.",
    "Every retry policy needs a budget, or a small outage turns into a large one.",
    "Feature flags let us ship code dark and turn it on one region at a time.",
    "Contract tests between teams caught more regressions than any end-to-end suite.",
    "We measured twice before changing anything, and the numbers surprised us.",
)

_CONTINUATIONS = (
    "and that is where the rest of this post picks up.",
    "which is exactly the problem this walkthrough tackles.",
    "so let us start with the moving parts.",
    "and the details below show how it fits together.",
)

_INLINES = (
    ("See the ", ("a", "Kong Gateway documentation", "https://developer.konghq.com/gateway/"),
     " for the complete list of options."),
    ("Setting ", ("code", "KONG_DATABASE=off"), " starts the node in DB-less mode."),
    ("This is ", ("em", "not"), " a silver bullet, and the trade-offs are real."),
    ("The ", ("code", "rate-limiting"), " plugin keeps its counters in ", ("em", "Redis"),
     " when running in cluster mode."),
    ("We described the rollout in the ", ("a", "Konnect guide", "https://developer.konghq.com/konnect/"), "."),
    ("Run ", ("code", "deck gateway diff"), " before every sync & read the output carefully."),
    ("More posts on this topic live under ", ("a", "API Gateway", "/blog/tag/api-gateway"), "."),
)


def _paragraphs(post: Post) -> list[list[object]]:
    """Body paragraphs as segment lists: str or (tag, text[, href])."""
    rng = random.Random(f"article:{post.slug}")
    count = rng.randint(3, 8)
    first_text = collapse(post.excerpt)
    if post.truncated:
        first_text += " \u2014 " + rng.choice(_CONTINUATIONS)
    first: list[object] = [first_text]
    paras = [first]
    for _ in range(count - 1):
        segs: list[object] = [" ".join(rng.sample(_BODY_SENTENCES, rng.randint(2, 4))) + " "]
        if rng.random() < 0.5:
            segs.extend(rng.choice(_INLINES))
        else:
            segs[0] = str(segs[0]).rstrip()
        paras.append(segs)
    return paras


def _seg_text(seg: object) -> str:
    return seg if isinstance(seg, str) else seg[1]  # type: ignore[index]


def _seg_html(seg: object, rng: random.Random) -> str:
    if isinstance(seg, str):
        text = esc(seg)
        # wrap long source lines like a CMS export does (collapses to spaces)
        words = text.split(" ")
        if len(words) > 14 and rng.random() < 0.6:
            cut = rng.randint(5, len(words) - 5)
            text = " ".join(words[:cut]) + "\n        " + " ".join(words[cut:])
        return text
    tag = seg[0]  # type: ignore[index]
    if tag == "a":
        return layout.a(seg[2], seg[1])  # type: ignore[index]
    return f"<{tag}>{esc(seg[1])}</{tag}>"  # type: ignore[index]


def _modified(post: Post, revision: int, revised: bool) -> str:
    h = stable_hash("modified", post.slug)
    if revised and revision > 0:
        d = post.published + timedelta(days=30 + revision)
        return f"{d.isoformat()}T09:00:00.000Z"
    d = post.published + timedelta(days=h % 200)
    style = (h >> 8) % 3
    if style == 0:
        return d.isoformat()
    if style == 1:
        return f"{d.isoformat()}T{(h >> 12) % 24:02d}:{(h >> 20) % 60:02d}:00.000Z"
    return f"{d.isoformat()}T{(h >> 12) % 24:02d}:{(h >> 20) % 60:02d}:00+00:00"


def _shown_reading_time(post: Post, words: int) -> int | None:
    if stable_hash("rt", post.slug) % 7 == 0:
        return None
    return max(1, round(words / 200))


def _is_revised(blog: Blog, post: Post) -> bool:
    return blog.options.revision > 0 and (post.origin, post.index) in REVISED_POSTS


def article_truth(blog: Blog, post: Post, base_url: str) -> dict:
    base_url = base_url.rstrip("/")
    paras = [collapse("".join(_seg_text(s) for s in p)) for p in _paragraphs(post)]
    body_text = "\n\n".join(paras)
    words = len(body_text.split())
    shown = _shown_reading_time(post, words)
    url = blog.post_url(base_url, post)
    authors = [collapse(a) for a in post.authors]
    return {
        "slug": post.slug,
        "url": url,
        "canonical_url": url,
        "title": collapse(post.title),
        "published": post.published.isoformat(),
        "modified": _modified(post, blog.options.revision, _is_revised(blog, post)),
        "authors": authors,
        "author_roles": {a: AUTHOR_ROLES[a] for a in authors if a in AUTHOR_ROLES},
        "body_text": body_text,
        "word_count": words,
        "reading_time_minutes": shown if shown is not None else math.ceil(words / WORDS_PER_MINUTE),
        "reading_time_shown": shown is not None,
    }


def _json_ld(data: object) -> str:
    text = json.dumps(data, ensure_ascii=False, indent=2)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def render_article(blog: Blog, post: Post, base_url: str) -> bytes:
    base_url = base_url.rstrip("/")
    truth = article_truth(blog, post, base_url)
    s = Soup(f"article:{post.slug}")
    rng = random.Random(f"article-src:{post.slug}")
    title = truth["title"]
    published_dt = f"{post.published.isoformat()}T08:00:00.000Z"
    ld = {
        "@context": "https://schema.org",
        "@type": "BlogPosting",
        "headline": title,
        "description": collapse(post.excerpt),
        "datePublished": published_dt,
        "dateModified": truth["modified"],
        "mainEntityOfPage": {"@type": "WebPage", "@id": truth["canonical_url"]},
        "publisher": {"@type": "Organization", "name": "Kong Inc."},
    }
    if truth["authors"]:
        ld["author"] = [{"@type": "Person", "name": n} for n in truth["authors"]]
    if post.image_url:
        ld["image"] = post.image_url
    meta = [
        '<meta property="og:type" content="article">',
        f'<meta property="og:title" content="{attr(title)}">',
        f'<meta property="og:description" content="{attr(collapse(post.excerpt))}">',
        f'<meta property="og:url" content="{attr(truth["canonical_url"])}">',
        '<meta property="og:site_name" content="Kong Inc.">',
        f'<meta property="article:published_time" content="{published_dt}">',
        f'<meta property="article:modified_time" content="{attr(truth["modified"])}">',
        f'<meta property="article:section" content="{attr(blog.category_name)}">',
    ]
    if post.image_url:
        meta.append(f'<meta property="og:image" content="{attr(post.image_url)}">')
    meta.append(f'<script type="application/ld+json">{_json_ld(ld)}</script>')
    out = [layout.head(f"{title} | Kong Inc.", truth["canonical_url"], "\n".join(meta) + "\n",
                       description=collapse(post.excerpt))]
    out.append(f"<body{s()}>\n")
    out.append(layout.header(s))
    out.append(f"<main{s()}>\n")
    out.append(layout.breadcrumb(s, blog.category_name))
    out.append(f"<article{s()}>\n<header{s()}>")
    out.append(layout.a(f"/blog/{blog.category}", blog.category_name))
    out.append(f"<h1{s()}>{esc(post.title, post.entities)}</h1>")
    meta_line = f'<time datetime="{post.published.isoformat()}">{long_date(post.published)}</time>'
    if truth["reading_time_shown"]:
        meta_line += f'<span{s(1, 3)}> \u00b7 {truth["reading_time_minutes"]} min read</span>'
    out.append(f"<div{s()}>{meta_line}</div>")
    if post.authors:
        names = ", ".join(layout.a(f"/blog/author/{slugify(n)}", n) for n in post.authors)
        out.append(f"<div{s()}>{names}</div>")
    out.append("</header>\n")
    if post.image_url:
        out.append(f'<figure{s()}><img src="{attr(post.image_url)}" alt="{attr(post.image_alt or "")}"></figure>\n')
    out.append(f"<div{s()}>\n")
    for para in _paragraphs(post):
        inner = "".join(_seg_html(seg, rng) for seg in para)
        out.append(f"<p>{inner}</p>\n")
    out.append("</div>\n")
    out.append(f"<footer{s()}><p{s()}>Topics: {layout.a('/blog/tag/api-gateway', 'API Gateway')}</p>")
    if post.authors:
        out.append(f"<div{s()}><p{s()}>Written by</p><ul{s()}>")
        for name in post.authors:
            line = layout.a(f"/blog/author/{slugify(name)}", name)
            role = AUTHOR_ROLES.get(collapse(name))
            if role:
                line += f'<span aria-hidden="true"> \u2014 </span><span{s(1, 3)}>{esc(role)}</span>'
            out.append(f"<li{s(1, 3)}>{line}</li>")
        out.append("</ul></div>")
    out.append("</footer>\n</article>\n")
    out.append(layout.promo_sections(s))
    out.append("</main>\n")
    out.append(layout.footer(s))
    out.append("</body>\n</html>\n")
    return "".join(out).encode("utf-8")


def expected_articles_for(blog: Blog, base_url: str) -> dict[str, dict]:
    """slug -> article truth, for every post of the catalog (article pages
    exist even for posts whose listing page is empty or redirected)."""
    result: dict[str, dict] = {}
    for post in blog.all_posts():
        if post.slug not in result:
            result[post.slug] = article_truth(blog, post, base_url)
    return result

