"""Page chrome shared by every HTML page: head, header nav, breadcrumb,
pagination widget, promo sections and footer.

The link set mirrors the text capture of the real listing page 11
(fixtures/seed_page11.json only holds the cards; the chrome lives here).
Class names come from ``soup()``: random-looking utility tokens that carry
no meaning, so nothing can be extracted by class name.
"""

from __future__ import annotations

import random

from .text import attr, esc

# --------------------------------------------------------------------------
# Class soup

_TOKENS = (
    "flex", "flex-col", "flex-row", "flex-wrap", "grid", "gap-1", "gap-2", "gap-4", "gap-x-6",
    "gap-y-8", "p-2", "p-4", "px-3", "py-2", "md:p-6", "lg:px-8", "mt-1", "mt-2", "mt-4",
    "mb-2", "mb-6", "mx-auto", "rounded", "rounded-lg", "rounded-xl", "rounded-2xl", "bg-white",
    "bg-neutral-50", "dark:bg-slate-900", "shadow-sm", "hover:shadow-lg", "transition",
    "duration-200", "ease-out", "text-xs", "text-sm", "text-base", "lg:text-lg", "xl:text-2xl",
    "font-medium", "font-semibold", "font-bold", "leading-tight", "leading-6", "line-clamp-3",
    "text-slate-600", "text-neutral-900", "text-[#1155cb]", "relative", "isolate", "z-10",
    "overflow-hidden", "aspect-[16/9]", "object-cover", "w-full", "h-full", "min-h-0",
    "items-center", "items-start", "justify-between", "uppercase", "tracking-wide",
    "opacity-80", "border", "border-neutral-200", "ring-1", "ring-black/5", "space-y-3",
    "max-w-7xl", "md:grid-cols-2", "lg:grid-cols-3", "col-span-1", "order-first", "shrink-0",
    "basis-1/3", "group", "group-hover:underline", "focus-visible:outline", "sm:flex",
)


def soup(rng: random.Random, lo: int = 2, hi: int = 6) -> str:
    """A meaningless class attribute value: utility tokens + a hashed token."""
    tokens = rng.sample(_TOKENS, rng.randint(lo, hi))
    style = rng.randrange(3)
    if style == 0:
        tokens.append(f"css-{rng.getrandbits(24):06x}")
    elif style == 1:
        tokens.append(f"jsx-{rng.getrandbits(30)}")
    else:
        tokens.insert(0, f"_{rng.getrandbits(20):05x}")
    return " ".join(tokens)


class Soup:
    """Seeded class-soup factory: ``Soup('x')()`` -> ``class="..."`` attribute."""

    def __init__(self, seed: str, enabled: bool = True) -> None:
        self.rng = random.Random(seed)
        self.enabled = enabled

    def __call__(self, lo: int = 2, hi: int = 6) -> str:
        if not self.enabled:
            return ""
        return f' class="{soup(self.rng, lo, hi)}"'


# --------------------------------------------------------------------------
# Navigation data (from the text capture of the real page)

TICKER = (
    "REGISTER NOW FOR THE KONG AGENTIC ERA WORLD TOUR",
    "GOVERN A2A TRAFFIC WITH KONG'S NEW AGENT GATEWAY",
    "WHY GARTNER\u2019S \u201cCONTEXT MESH\u201d CHANGES EVERYTHING",
    "DON\u2019T MISS API + AI SUMMIT 2026 SEPT 30 \u2013 OCT 1",
)

DOCS_GL = (
    "https://developer.konghq.com/?_gl=1*tphanb*_gcl_au*MTcxNTQ5NjQ0MC4xNzY5Nzg4MDY0LjIwMTI3NzEw"
    "OTEuMTc3MzMxODI2MS4xNzczMzE4MjYw*_ga*NDIwMDU4MTU3LjE3Njk3ODgwNjQ.*_ga_4JK9146J1H*czE3NzQwMjg1"
    "MjkkbzE4OSRnMCR0MTc3NDAyODUyOSRqNjAkbDAkaDA"
)

# (menu label, link or None, [(group heading or None, [(text, href), ...])])
MENUS: tuple = (
    ("Why Kong", "/company/why-kong", ()),
    ("Products", None, (
        ("Explore the unified API Platform", ()),
        ("BUILD APIs", (
            ("Kong Insomnia", "/products/kong-insomnia"),
            ("API Design", "/products/kong-insomnia/api-design"),
            ("API Mocking", "/products/kong-insomnia/api-mocking"),
            ("API Testing and Debugging", "/products/kong-insomnia/api-testing-and-debugging"),
            ("MCP Client", "/products/kong-insomnia/mcp-client"),
        )),
        ("RUN APIs", (
            ("API Gateway", "/products/kong-gateway"),
            ("Context Mesh", "/products/kong-konnect/features/context-mesh"),
            ("AI Gateway", "/products/kong-ai-gateway"),
            ("Event Gateway", "/products/event-gateway"),
            ("Kubernetes Operator", "/products/kong-gateway-operator"),
            ("Service Mesh", "/products/kong-mesh"),
            ("Ingress Controller", "/products/kong-ingress-controller"),
            ("Runtime Management", "/products/kong-konnect/features/runtime-management"),
        )),
        ("DISCOVER APIs", (
            ("Developer Portal", "/products/kong-konnect/features/developer-portal"),
            ("Service Catalog", "/products/kong-konnect/features/api-service-catalog"),
            ("MCP Registry", "/products/mcp-registry"),
        )),
        ("GOVERN APIs", (
            ("Metering and Billing", "/products/kong-konnect/features/usage-based-metering-and-billing"),
            ("APIOps and Automation", "/products/apiops-automation"),
            ("API Observability", "/products/kong-konnect/features/api-observability"),
        )),
        (None, (("Why Kong?", "/company/why-kong"),)),
        ("CLOUD", (
            ("Cloud API Gateways", "/products/kong-konnect/features/dedicated-cloud-gateways"),
            ("Need a self-hosted or hybrid option?", "/products/kong-enterprise"),
        )),
        ("COMPARE", (
            ("Considering AI Gateway alternatives?", "/performance-comparison/ai-gateway-alternatives"),
            ("Kong vs. Postman", "/performance-comparison/kong-vs-postman"),
            ("Kong vs. MuleSoft", "/performance-comparison/kong-vs-mulesoft"),
            ("Kong vs. Apigee", "/performance-comparison/kong-vs-apigee"),
            ("Kong vs. IBM", "/performance-comparison/ibm-api-connect-vs-kong"),
        )),
        ("GET STARTED", (
            ("Sign Up for Kong Konnect", "/products/kong-konnect/register"),
            ("Documentation", "https://developer.konghq.com/"),
        )),
    )),
    ("Solutions", None, (
        ("FOR PLATFORM TEAMS", (
            ("Developer Platform", "/solutions/building-developer-platform"),
            ("Kubernetes and Microservices", "/solutions/build-on-kubernetes"),
            ("Observability", "/solutions/observability"),
            ("Service Mesh Connectivity", "/solutions/service-mesh-connectivity"),
            ("Kafka Event Streaming", "/solutions/kafka-stream-api-management"),
        )),
        ("FOR EXECUTIVES", (
            ("AI Connectivity", "/ai-connectivity"),
            ("Open Banking", "/solutions/open-banking"),
            ("Legacy Migration", "/solutions/legacy-api-management-migration"),
            ("Platform Cost Reduction", "/solutions/api-platform-consolidation"),
            ("Kafka Cost Optimization", "/solutions/reduce-kafka-cost"),
            ("API Monetization", "/solutions/api-monetization"),
            ("AI Monetization", "/solutions/ai-monetization"),
            ("AI FinOps", "/solutions/ai-cost-governance-finops"),
        )),
        ("FOR AI TEAMS", (
            ("Agent Gateway", "/agent-gateway"),
            ("AI Governance", "/solutions/ai-governance"),
            ("AI Security", "/solutions/ai-security"),
            ("AI Cost Control", "/solutions/ai-cost-optimization-management"),
            ("Agentic Infrastructure", "/solutions/agentic-ai-workflows"),
            ("MCP Production", "/solutions/mcp-production-and-consumption"),
            ("MCP Traffic Gateway", "/solutions/mcp-governance"),
        )),
        ("FOR DEVELOPERS", (
            ("Mobile App API Development", "/solutions/mobile-application-api-development"),
            ("GenAI App Development", "/solutions/power-openai-applications"),
            ("API Gateway for Istio", "/solutions/istio-gateway"),
            ("Decentralized Load Balancing", "/solutions/decentralized-load-balancing"),
        )),
        ("BY INDUSTRY", (
            ("Financial Services", "/solutions/financial-services-industry"),
            ("Healthcare", "/solutions/healthcare"),
            ("Higher Education", "/solutions/api-platform-for-education-services"),
            ("Insurance", "/solutions/insurance"),
            ("Manufacturing", "/solutions/manufacturing"),
            ("Retail", "/solutions/retail"),
            ("Software & Technology", "/solutions/software-and-technology"),
            ("Transportation", "/solutions/transportation-and-logistics"),
        )),
        (None, (("See all Solutions", "/solutions"),)),
    )),
    ("Pricing", "/pricing", ()),
    ("Resources", None, (
        ("DOCUMENTATION", (
            ("Kong Konnect", "https://developer.konghq.com/konnect/"),
            ("Kong Gateway", "https://developer.konghq.com/gateway/"),
            ("Kong Mesh", "https://developer.konghq.com/mesh/"),
            ("Kong AI Gateway", "https://developer.konghq.com/ai-gateway/"),
            ("Kong Event Gateway", "https://developer.konghq.com/event-gateway/"),
            ("Kong Insomnia", "https://developer.konghq.com/insomnia/"),
            ("Plugin Hub", "https://developer.konghq.com/plugins/"),
        )),
        ("EXPLORE", (
            ("Blog", "/blog"),
            ("Learning Center", "/blog/learning-center"),
            ("eBooks", "/resources/e-book"),
            ("Reports", "/resources/reports"),
            ("Demos", "/resources/demos"),
            ("Customer Stories", "/customer-stories"),
            ("Videos", "/resources/videos"),
        )),
        ("EVENTS", (
            ("API + AI Summit", "/events/conferences/api-ai-summit"),
            ("Agentic Era World Tour", "/agentic-era-world-tour"),
            ("Webinars", "/events/webinars"),
            ("User Calls", "/events/user-calls"),
            ("Workshops", "/events/workshops"),
            ("Meetups", "/events/meetups"),
            ("See All Events", "/events"),
        )),
        ("FOR DEVELOPERS", (
            ("Get Started", "https://developer.konghq.com/"),
            ("Community", "/community"),
            ("Certification", "/academy/certification"),
            ("Training", "https://education.konghq.com"),
        )),
    )),
    ("Company", None, (
        ("COMPANY", (
            ("About Us", "/company/about-us"),
            ("We're Hiring!", "/company/careers"),
            ("Press Room", "/company/press-room"),
            ("Contact Us", "/company/contact-us"),
            ("Kong Partner Program", "/partners"),
            ("Enterprise Support Portal", "https://support.konghq.com/s/"),
            ("Documentation", DOCS_GL),
        )),
    )),
)

NAV_ACTIONS = (
    ("Login", "https://cloud.konghq.com/login"),
    ("Book Demo", "/contact-sales"),
    ("Get Started", "/products/kong-konnect/register"),
)

TAGS_PRIMARY = (
    ("AI Gateway", "ai-gateway"), ("AI Security", "ai-security"), ("AIOps", "aiops"),
    ("API Security", "api-security"), ("API Gateway", "api-gateway"),
)
TAGS_MORE = (
    ("API Management", "api-management"), ("API Development", "api-development"),
    ("API Design", "api-design"), ("Automation", "automation"), ("Service Mesh", "service-mesh"),
    ("Insomnia", "insomnia"), ("Event Gateway", "event-gateway"),
)
TAGS = TAGS_PRIMARY + TAGS_MORE

PRODUCTS_AGENTS = (
    ("Kong AI Gateway", "/products/kong-ai-gateway"),
    ("Kong API Gateway", "/products/kong-gateway"),
    ("Kong Event Gateway", "/products/event-gateway"),
    ("Kong Metering & Billing", "/products/usage-based-metering-and-billing"),
    ("Kong Insomnia", "/products/kong-insomnia"),
    ("Kong Konnect", "/products/kong-konnect"),
)

PROMO_HEADING = "See AI Gateway in Action"
PROMO_TEXT = (
    "Secure your AI infrastructure with prompt guards, PII sanitization, and centralized "
    "governance. Control LLM costs with token-based rate limiting and semantic routing across providers."
)

FOOTER_TEXT = (
    "Kong enables the connectivity layer for the agentic era \u2013 securely connecting, governing, "
    "and monetizing APIs and AI tokens across any model or cloud."
)
FOOTER_LINKS = (
    ("Terms", "/legal/terms-of-use"),
    ("Privacy", "/legal/privacy-policy"),
    ("Trust and Compliance", "https://trust.konghq.com"),
)
# A link robots.txt forbids, outside of any card.
PRIVATE_LINK = ("Partner extranet", "/private/x")


def a(href: str, text: str, extra: str = "") -> str:
    return f'<a href="{attr(href)}"{extra}>{esc(text)}</a>'


# --------------------------------------------------------------------------
# Chrome builders


def head(title: str, canonical: str, extra: str = "", description: str = "") -> str:
    desc = description or "Talk tech with tips and tutorials from builders at Kong and the Kong Community."
    return (
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n"
        '<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{esc(title)}</title>\n"
        f'<meta name="description" content="{attr(desc)}">\n'
        f'<link rel="canonical" href="{attr(canonical)}">\n'
        '<link rel="icon" href="/favicon.ico">\n'
        '<link rel="preload" href="/_next/static/media/inter-latin.woff2" as="font" type="font/woff2" crossorigin="">\n'
        "<style>body{margin:0;font-family:Inter,system-ui,sans-serif}[hidden]{display:none}</style>\n"
        f"{extra}"
        "<script>window.dataLayer=window.dataLayer||[];function gtag(){dataLayer.push(arguments)}"
        "gtag('js',new Date());</script>\n"
        "</head>\n"
    )


def header(s: Soup, broken: bool = False, extra_nav: str = "") -> str:
    """Site header; *extra_nav* (ready HTML, e.g. ``<li>...</li>``) goes into
    the main nav list before the search link."""
    li_end = "" if broken else "</li>"
    out = [f"<header{s()}>", f'<div{s()} role="marquee">']
    out += [f"<span{s(1, 3)}>{esc(t)}</span>" for t in TICKER]
    out.append("</div>")
    out.append(f'<nav{s()} aria-label="Main">')
    out.append(f'<a href="/"{s(1, 2)} aria-label="Kong home"><svg width="96" height="32" aria-hidden="true"></svg></a>')
    out.append(f"<ul{s()}>")
    for label, href, groups in MENUS:
        if href:
            out.append(f"<li{s(1, 3)}>{a(href, label)}")
        else:
            out.append(f'<li{s(1, 3)}><button type="button"{s(1, 3)} aria-expanded="false">{esc(label)}</button>')
        if groups:
            out.append(f"<div{s()}><ul{s()}>")
            for heading, links in groups:
                if heading:
                    out.append(f"<li{s(1, 2)}><span{s(1, 2)}>{esc(heading)}</span>{li_end}")
                for text, link in links:
                    out.append(f"<li{s(1, 3)}>{a(link, text)}{li_end}")
            out.append("</ul></div>")
        out.append(li_end)
    if extra_nav:
        out.append(extra_nav)
    out.append(f'<li{s(1, 2)}><a href="/search" aria-label="Search"{s(1, 2)}></a>{li_end}')
    for text, link in NAV_ACTIONS:
        out.append(f"<li{s(1, 3)}>{a(link, text)}{li_end}")
    out.append("</ul></nav>")
    # Blog sub-navigation with tag links
    out.append(f'<nav{s()} aria-label="Blog">')
    out.append(a("/blog", "Blog"))
    out.append(f"<ul{s()}>")
    out += [f"<li{s(1, 2)}>{a(f'/blog/tag/{slug}', text)}{li_end}" for text, slug in TAGS_PRIMARY]
    out.append("</ul>")
    out.append(f"<span{s(1, 2)} aria-hidden=\"true\">|</span>")
    out.append(f"<ul{s()}>")
    out += [f"<li{s(1, 2)}>{a(f'/blog/tag/{slug}', text)}{li_end}" for text, slug in TAGS_MORE]
    out.append(f"<li{s(1, 2)}>{a('/blog/page/1', 'View All Blogs')}{li_end}")
    out.append("</ul></nav>")
    out.append(
        f"<div{s()}><p{s()}>We're Entering the Age of AI Connectivity "
        f"{a('/blog/news/the-age-of-ai-connectivity', 'Read more')}</p>"
        f"<span{s(1, 2)}>Products &amp; Agents:</span><ul{s()}>"
    )
    out += [f"<li{s(1, 2)}>{a(link, text)}{li_end}" for text, link in PRODUCTS_AGENTS]
    out.append("</ul>")
    out.append(f"{a('https://developer.konghq.com', 'Documentation')} {a('/contact-sales', 'Book Demo')}</div>")
    out.append("</header>")
    return "\n".join(out) + "\n"


def breadcrumb(s: Soup, category_name: str) -> str:
    return (
        f'<nav aria-label="Breadcrumb"{s()}><ol{s()}>'
        f"<li{s(1, 2)}>Home</li><li{s(1, 2)}>Blog</li>"
        f'<li{s(1, 2)} aria-current="page">{esc(category_name)}</li></ol></nav>\n'
    )


def pagination_entries(page: int, count: int) -> list[tuple[str, str, int | None]]:
    """('link'|'current'|'gap', text, target page) like the real widget:
    ‹Prev 1 … N-1 N N+1 … last Next› (no ‹Prev on page 1, no Next› on the last)."""
    out: list[tuple[str, str, int | None]] = []
    if page > 1:
        out.append(("link", "\u2039Prev", page - 1))
    shown = sorted({n for n in (1, page - 1, page, page + 1, count) if 1 <= n <= count})
    prev = 0
    for n in shown:
        if prev and n - prev > 1:
            out.append(("gap", "\u2026", None))
        out.append(("current", str(n), n) if n == page else ("link", str(n), n))
        prev = n
    if page < count:
        out.append(("link", "Next\u203a", page + 1))
    return out


def pagination(s: Soup, page: int, count: int, path_of) -> str:
    parts = [f'<nav aria-label="Pagination"{s()}><div{s()}>']
    for kind, text, target in pagination_entries(page, count):
        if kind == "link":
            parts.append(f'<a href="{attr(path_of(target))}"{s(1, 4)}>{esc(text)}</a>')
        elif kind == "current":
            parts.append(f'<span aria-current="page"{s(1, 4)}>{esc(text)}</span>')
        else:
            parts.append(f"<span{s(1, 2)}>{esc(text)}</span>")
    parts.append("</div></nav>\n")
    return "".join(parts)


def promo_sections(s: Soup) -> str:
    block = (
        f"<section{s()}><div{s()}><h2{s()}>{esc(PROMO_HEADING)}</h2>"
        f"<p{s()}>{esc(PROMO_TEXT)}</p>"
        f'<a href="/contact-sales"{s()}>Get a Demo</a></div></section>\n'
    )
    return block + block


def footer(s: Soup, broken: bool = False, marker: str = "", extra_links: str = "") -> str:
    """Site footer; *extra_links* (ready ``<li>`` HTML) go after its legal links."""
    li_end = "" if broken else "</li>"
    langs = ("English", "Japanese", "French<small>coming soon</small>",
             "Spanish<small>coming soon</small>", "German<small>coming soon</small>")
    out = [f"<footer{s()}>", f"<p{s()}>{esc(FOOTER_TEXT)}</p>", f"<ul{s()}>"]
    out += [f"<li{s(1, 2)}>{lang}{li_end}" for lang in langs]
    out.append("</ul>")
    out.append(f"<p{s(1, 3)}>\u00a9 Kong Inc. 2026</p>")
    out.append(f"<ul{s()}>")
    out += [f"<li{s(1, 2)}>{a(link, text)}{li_end}" for text, link in FOOTER_LINKS]
    out.append(f"<li{s(1, 2)}>{a(PRIVATE_LINK[1], PRIVATE_LINK[0])}{li_end}")
    if extra_links:
        out.append(extra_links)
    out.append("</ul>")
    if broken:
        out.append(f"<div{s()}><b>Interaction mode")  # never closed
    else:
        out.append(f"<div{s()}>Interaction mode</div>")
    out.append(marker)
    out.append("</footer>")
    return "\n".join(out) + "\n"


def simple_page(title: str, canonical: str, body_html: str, seed: str = "simple") -> str:
    """A plain page (tag, author, hub, 404 ...) with the usual chrome."""
    s = Soup(seed)
    return (
        head(f"{title} | Kong Inc.", canonical)
        + f"<body{s()}>\n"
        + header(s)
        + f"<main{s()}>\n<h1{s()}>{esc(title)}</h1>\n{body_html}\n</main>\n"
        + footer(s)
        + "</body>\n</html>\n"
    )
