"""The helper's gatekeeping: Host allow-list, token, Origin pairing.

A loopback service is reachable from every web page the user opens, so:
- Host must be a loopback name (or one the user configured): defeats DNS rebinding;
- every /api/v1 route but health needs the per-install token (constant-time compare);
- a browser Origin must be a chrome-extension:// origin; an extension origin is paired the
  first time it presents the right token, and only paired origins get CORS headers.
"""

from __future__ import annotations

import hmac
import json
import re
import secrets
from urllib.parse import unquote

from flask import current_app, g, request

from .errors import ApiError
from .store import get_setting, set_setting, transaction

TOKEN_SETTING = "token"
PAIRED_SETTING = "paired_origins"
LOOPBACK_HOSTS = {"127.0.0.1", "localhost", "[::1]", "::1"}
EXTENSION_ORIGIN = re.compile(r"^chrome-extension://[a-p]{32}$")


def ensure_token(db) -> str:
    token = get_setting(db, TOKEN_SETTING)
    if not token:
        with transaction(db):
            token = get_setting(db, TOKEN_SETTING)
            if not token:
                token = secrets.token_urlsafe(24)
                set_setting(db, TOKEN_SETTING, token)
    return token


def rotate_token(db) -> str:
    """A new token, and every paired extension unpaired: what `danhao token --new` does when a
    computer or an extension should no longer reach the helper. Review-page sign-ins end too
    (their cookie is derived from the token)."""
    token = secrets.token_urlsafe(24)
    with transaction(db):
        set_setting(db, TOKEN_SETTING, token)
        set_setting(db, PAIRED_SETTING, "[]")
    return token


def host_allowed(host_header: str, extra: set[str]) -> bool:
    host = (host_header or "").strip().lower()
    if host.startswith("["):
        name = host.split("]")[0] + "]"
    else:
        name = host.rsplit(":", 1)[0] if host.count(":") == 1 else host
    return name in LOOPBACK_HOSTS or name in extra


def paired_origins(db) -> set[str]:
    return set(json.loads(get_setting(db, PAIRED_SETTING, "[]")))


def pair_origin(db, origin: str) -> None:
    origins = paired_origins(db) | {origin}
    with transaction(db):
        set_setting(db, PAIRED_SETTING, json.dumps(sorted(origins)))


def operator_name() -> str | None:
    raw = request.headers.get("X-Danhao-Operator")
    if not raw:
        return None
    return unquote(raw)[:64] or None


def check_request(get_db) -> None:
    """before_request: raises ApiError on anything not allowed."""
    extra = current_app.config.get("ALLOWED_HOSTS", set())
    if not host_allowed(request.host, extra):
        raise ApiError(403, "host_forbidden", "只接受本机地址访问 / Only loopback host names are accepted",
                       {"host": request.host})
    if not request.path.startswith("/api/"):
        return
    origin = request.headers.get("Origin")
    if origin and not EXTENSION_ORIGIN.match(origin):
        raise ApiError(403, "origin_forbidden", "只接受已配对的扩展访问 / Only the paired extension may call the helper",
                       {"origin": origin})
    if request.method == "OPTIONS" or request.path == "/api/v1/health":
        return
    db = get_db()
    given = request.headers.get("X-Danhao-Token", "")
    token = ensure_token(db)
    if not hmac.compare_digest(given.encode(), token.encode()):
        raise ApiError(401, "unauthorized", "缺少或错误的令牌，请在扩展选项中粘贴配对令牌 / Missing or wrong token: paste the pairing token in the extension options")
    if origin and origin not in paired_origins(db):
        pair_origin(db, origin)
    g.operator = operator_name()


def narrow_cors(response, get_db):
    """flask-cors admits any extension origin; keep its headers only for paired ones."""
    origin = request.headers.get("Origin")
    if origin and response.headers.get("Access-Control-Allow-Origin"):
        try:
            paired = paired_origins(get_db())
        except Exception:  # the database being down must not turn into a CORS hole
            paired = set()
        if origin not in paired:
            for header in list(response.headers.keys()):
                if header.lower().startswith("access-control-"):
                    del response.headers[header]
    return response
