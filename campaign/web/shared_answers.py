"""count.json, the same for everyone, answered again for a moment without running the application.

Every open petition page and embedded widget polls its count. The application already reads the
count from a per-process cache (COUNT_CACHE_SECONDS, campaign.metrics.counts); for that long the
whole answer it gave (status, headers with the security policy and ETag, body) is kept here too,
and the same request gets it without routing, session, hooks and JSON: most of its CPU. A count is
thus at most twice COUNT_CACHE_SECONDS old, never older than the Cache-Control already allows.

Kept: answers to a GET without a query string, 200 or 304 (keyed by If-None-Match), that set no
cookie and vary on nothing but the cookie (see _same_for_everyone). Everything else, and every answer while COUNT_CACHE_SECONDS is 0 (the
tests), goes to the application as before.
"""

import re
import time

PATHS = re.compile(r"/petitions/[^/]+/count\.json")
KEPT_STATUSES = ("200 ", "304 ")
MAX_KEPT = 10_000  # a bound on memory (unknown slugs are not kept: they are 404s), not an eviction policy


class SharedAnswers:
    def __init__(self, wsgi_app, seconds: float):
        self.wsgi_app = wsgi_app
        self.seconds = seconds
        self.kept: dict[tuple, tuple] = {}

    def __call__(self, environ, start_response):
        path = environ.get("PATH_INFO", "")
        if (
            self.seconds <= 0
            or environ["REQUEST_METHOD"] != "GET"
            or environ.get("QUERY_STRING")
            or not PATHS.fullmatch(path)
        ):
            return self.wsgi_app(environ, start_response)
        # The scheme decides the HSTS header; the ETag asked for decides between 200 and 304.
        key = (
            path,
            environ.get("wsgi.url_scheme"),
            environ.get("HTTP_X_FORWARDED_PROTO"),
            environ.get("HTTP_IF_NONE_MATCH"),
        )
        now = time.monotonic()
        kept = self.kept.get(key)
        if kept is not None and now < kept[0]:
            _, status, headers, body = kept
            start_response(status, list(headers))
            return [body]
        return self._answer_and_keep(key, now, environ, start_response)

    def _answer_and_keep(self, key, now, environ, start_response):
        answer = {}

        def capture(status, headers, exc_info=None):
            answer["status"], answer["headers"] = status, headers
            return start_response(status, headers, exc_info)

        chunks = self.wsgi_app(environ, capture)
        try:
            body = b"".join(chunks)
        finally:
            if hasattr(chunks, "close"):
                chunks.close()
        status, headers = answer["status"], answer["headers"]
        if status.startswith(KEPT_STATUSES) and _same_for_everyone(headers):
            if len(self.kept) >= MAX_KEPT:
                self.kept.clear()
            self.kept[key] = (now + self.seconds, status, tuple(headers), body)
        return [body]


def _same_for_everyone(headers) -> bool:
    """No cookie set, and no Vary but on Cookie (count.json reads no cookie, and no longer says Vary:
    Cookie since Flask-Login's session-reading hook runs on the studio's answers only)."""
    for name, value in headers:
        name = name.lower()
        if name == "set-cookie":
            return False
        if name == "vary" and {part.strip().lower() for part in value.split(",")} - {"cookie"}:
            return False
    return True
