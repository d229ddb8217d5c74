"""Cross-origin replies for replicas whose page calls another host (千牛 → trade.taobao.com,
京东商家 → sff.jd.com), answered the way a browser needs them.

`tests/support/replica_server.py` has no `do_OPTIONS`, so a CORS preflight would get Python's
"501 Unsupported method". `allow_preflight()` adds one (only if it is missing) that routes OPTIONS
to the site like any other method; sites that do not expect OPTIONS answer 404 as before.
TODO(lead): the same two lines belong in replica_server._Handler; this module then does nothing.
"""
from __future__ import annotations

from tests.support import replica_server


def allow_preflight() -> None:
    """Makes the replica server pass OPTIONS requests to the sites (idempotent)."""
    handler = replica_server._Handler
    if not hasattr(handler, "do_OPTIONS"):
        def do_OPTIONS(self):  # noqa: N802 (BaseHTTPRequestHandler naming)
            self._serve("OPTIONS")
        handler.do_OPTIONS = do_OPTIONS


def cors_headers(headers, allowed_origins: tuple[str, ...], *, allow_headers: str = "",
                 methods: str = "GET, POST, OPTIONS") -> dict:
    """The CORS answer headers for a request from `headers["Origin"]`.

    Credentialed requests (cookies, `withCredentials`, `credentials: "include"`) need the exact
    origin echoed and `Access-Control-Allow-Credentials: true`; a wildcard would be refused by the
    browser. An origin not in `allowed_origins` gets no CORS headers at all, so the browser hides
    the reply from that page (what the real servers do for foreign origins). `allow_headers` is the
    comma list a preflight may ask for (lower case).
    """
    origin = headers.get("Origin") or ""
    if origin not in allowed_origins:
        return {"Vary": "Origin"}
    out = {"Access-Control-Allow-Origin": origin, "Access-Control-Allow-Credentials": "true",
           "Vary": "Origin"}
    if allow_headers:
        out["Access-Control-Allow-Headers"] = allow_headers
        out["Access-Control-Allow-Methods"] = methods
        out["Access-Control-Max-Age"] = "600"
    return out
