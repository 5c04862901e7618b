"""Replica paths answered otherwise: a redirect, a gzip bomb, a huge page (the replica runs in this process)."""

from __future__ import annotations

import gzip
from contextlib import contextmanager

from replica.site import Response


@contextmanager
def answering(server, responses: dict[str, Response | str]):
    """``server`` answers each path of ``responses`` with it (a str: as that path), every other path as before."""
    site = server.site
    real = site.respond

    def respond(path):
        answer = responses.get(path)
        return real(answer) if isinstance(answer, str) else answer or real(path)

    site.respond = respond
    try:
        yield server
    finally:
        site.respond = real


def redirect(location: str, status: int = 301) -> Response:
    return Response(status, b"", {"Location": location, "Content-Type": "text/plain"})


def gzip_bomb(size: int) -> Response:
    """``size`` bytes of HTML once decompressed, a few kB on the wire."""
    body = gzip.compress(b"<html><body>" + b" " * size + b"</body></html>", compresslevel=9)
    return Response(200, body, {"Content-Encoding": "gzip"})


def author_links_page(size: int) -> Response:
    """An article page of ``size`` bytes whose body is one block of author links (quadratic for a naive reader)."""
    links = "".join(f"<a href='/blog/author/a{n}'>Author {n}</a> " for n in range(size // 44))
    return Response(200, f"<html><body><article><h1>T</h1><p>Intro.</p><div>{links}</div></article></body></html>".encode())
