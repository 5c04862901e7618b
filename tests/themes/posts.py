"""The posts every theme of the corpus is rendered with, and the truth taken from them.

Deterministic (no randomness, no clock): the same 45 posts every time, newest first,
so a regenerated corpus differs only where an engine or a theme changed.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

LISTING = "/blog/engineering/"
PAGE_SIZE = 10

# Names in several scripts, and a one-word organisation.
AUTHORS = [
    "Danny Freese", "Marco Palladino", "Zoë Müller", "Kong", "José Ñúñez",
    "Дмитрий Иванов", "山田太郎", "Aïsha Okafor", "Łukasz Wójcik", "Priya Raghunathan",
]

TOPICS = [
    ("securing-webhooks-with-hmac-signatures", "Securing Webhooks with HMAC Signatures"),
    ("rate-limiting-strategies-for-public-apis", "Rate Limiting Strategies for Public APIs"),
    ("kong-gateway-on-kubernetes-with-helm", "Kong Gateway on Kubernetes with Helm"),
    ("grpc-transcoding-explained", "gRPC Transcoding, Explained"),
    ("whats-new-in-kong-gateway-3-5", "What’s New in Kong Gateway 3.5"),
    ("oauth2-token-introspection-at-the-edge", "OAuth 2.0 Token Introspection at the Edge"),
    ("observability-with-opentelemetry", "Observability with OpenTelemetry"),
    ("zero-trust-service-mesh", "Zero-Trust Service Mesh: A Practical Guide"),
    ("canary-releases-with-traffic-splitting", "Canary Releases with Traffic Splitting"),
    ("api-versioning-without-tears", "API Versioning Without Tears"),
    ("caching-responses-at-the-gateway", "Caching Responses at the Gateway"),
    ("mtls-between-services", "mTLS Between Services, Step by Step"),
    ("graphql-rate-limiting", "GraphQL Rate Limiting & Query Cost"),
    ("declarative-config-with-deck", "Declarative Configuration with decK"),
    ("building-a-custom-plugin-in-go", "Building a Custom Plugin in Go"),
    ("lua-plugin-performance-tips", "Lua Plugin Performance Tips"),
    ("event-driven-apis-with-kafka", "Event-Driven APIs with Kafka"),
    ("designing-idempotent-endpoints", "Designing Idempotent Endpoints"),
    ("jwt-pitfalls-and-how-to-avoid-them", "JWT Pitfalls and How to Avoid Them"),
    ("multi-region-gateway-deployments", "Multi-Region Gateway Deployments"),
    ("api-analytics-with-prometheus", "API Analytics with Prometheus and Grafana"),
    ("migrating-from-nginx-to-kong", "Migrating from NGINX to Kong"),
    ("websocket-proxying-in-practice", "WebSocket Proxying in Practice"),
    ("service-discovery-with-consul", "Service Discovery with Consul"),
    ("request-transformation-patterns", "Request Transformation Patterns"),
    ("securing-apis-with-opa", "Securing APIs with Open Policy Agent"),
    ("terraform-for-api-platforms", "Terraform for API Platforms"),
    ("testing-apis-with-insomnia", "Testing APIs with Insomnia"),
    ("the-cost-of-chatty-microservices", "The Cost of Chatty Microservices"),
    ("circuit-breakers-and-health-checks", "Circuit Breakers and Health Checks"),
    ("api-gateway-vs-service-mesh", "API Gateway vs. Service Mesh"),
    ("developer-portals-that-developers-use", "Developer Portals That Developers Use"),
    ("ingress-controllers-compared", "Ingress Controllers Compared"),
    ("streaming-large-payloads", "Streaming Large Payloads Without Buffering"),
    ("ai-gateway-prompt-guarding", "AI Gateway: Prompt Guarding in Practice"),
    ("hybrid-mode-control-planes", "Hybrid Mode Control Planes"),
    ("cors-done-right", "CORS Done Right"),
    ("logging-without-leaking-secrets", "Logging Without Leaking Secrets"),
    ("openapi-first-development", "OpenAPI-First Development"),
    ("upstream-keepalive-tuning", "Upstream Keepalive Tuning"),
    ("blue-green-deployments-for-apis", "Blue-Green Deployments for APIs"),
    ("http3-and-quic-at-the-edge", "HTTP/3 and QUIC at the Edge"),
    ("api-keys-are-not-enough", "API Keys Are Not Enough"),
    ("scaling-postgres-for-kong", "Scaling Postgres for Kong"),
    ("dns-caching-in-the-data-plane", "DNS Caching in the Data Plane"),
]

SUMMARY_OPENINGS = [
    "A practical walk-through of",
    "Everything a platform team should know about",
    "Lessons we learned the hard way from",
    "How our customers approach",
    "A short, hands-on introduction to",
]


@dataclass(frozen=True)
class Post:
    slug: str
    title: str
    published: date
    authors: tuple[str, ...]
    summary: str
    body: tuple[str, ...]
    image: str  # root-relative path of the cover image
    image_alt: str
    tags: tuple[str, ...] = field(default=("api",))

    @property
    def path(self) -> str:
        return f"{LISTING}{self.slug}/"

    def truth(self, image_path_format: str | None = None) -> dict:
        """*image_path_format*: where the engine puts the cover (it may copy it), e.g. "/_images/{slug}.jpg"."""
        return {
            "slug": self.slug,
            "title": self.title,
            "published": self.published.isoformat(),
            "authors": list(self.authors),
            "image_path": image_path_format.format(slug=self.slug) if image_path_format else self.image,
            "excerpt": self.summary,
        }


def _authors(index: int) -> tuple[str, ...]:
    count = 1 + index % 3  # 1, 2, 3, 1, 2, 3, ...
    names = []
    for k in range(count):
        name = AUTHORS[(index * 3 + k * 4) % len(AUTHORS)]
        if name not in names:
            names.append(name)
    return tuple(names)


def posts() -> list[Post]:
    """45 posts, newest first, one to three authors each, all with a cover and a summary."""
    result = []
    day = date(2023, 11, 30)
    for index, (slug, title) in enumerate(TOPICS):
        topic = title.split(":")[0].lower()
        summary = (f"{SUMMARY_OPENINGS[index % len(SUMMARY_OPENINGS)]} {topic}: "
                   f"what to configure first, what to measure, and which mistakes cost teams the most in production.")
        body = (
            summary,
            f"This post goes through {topic} with a running example, the configuration it needs "
            f"and the numbers we saw on a test cluster of three nodes.",
            "The examples use Kong Gateway 3.5 in DB-less mode; every snippet works on the free edition.",
        )
        result.append(Post(
            slug=slug, title=title, published=day, authors=_authors(index), summary=summary, body=body,
            image=f"/images/covers/{slug}.jpg", image_alt=f"Cover of {title}",
        ))
        day -= timedelta(days=3 + index % 5)
    return result


def pages(items: list[Post] | None = None, size: int = PAGE_SIZE) -> list[list[Post]]:
    items = posts() if items is None else items
    return [items[i:i + size] for i in range(0, len(items), size)]
