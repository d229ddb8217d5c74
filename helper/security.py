"""The helper's gatekeeping: Host allow-list, token, Origin pairing.

A loopback service is reachable from every web page the user opens, so:
- Host must be a loopback name (or one the user configured): defeats DNS rebinding;
- every /api/v1 route but health needs a token: the per-install token (the implicit owner) or an
  operator's token (helper/operators.py), compared in constant time; the operator a write is
  recorded under comes from that token alone (``g.identity``, ``g.operator``), never from a
  header or body a caller sets; owners alone reach `OWNER_ONLY` routes (403 `owner_only`);
- a browser Origin must be a chrome-extension:// origin; an extension origin is paired the
  first time it presents the right token, and only paired origins get CORS headers.
"""

from __future__ import annotations

import json
import re
import secrets

from flask import current_app, g, request

from . import clock
from .errors import ApiError
from .operators import authenticate, owner_refusal
from .store import get_setting, set_setting, transaction

TOKEN_SETTING = "token"
PAIRED_SETTING = "paired_origins"
PAIRINGS_SETTING = "pairings"            # {origin: {"paired_at", "via"}}: when and how each was paired
REVOKED_SETTING = "revoked_origins"      # extensions unpaired by the person: refused until paired again
LOOPBACK_HOSTS = {"127.0.0.1", "localhost", "[::1]", "::1"}
EXTENSION_ORIGIN = re.compile(r"^chrome-extension://[a-p]{32}$")
EXTENSION_ID = re.compile(r"^[a-p]{32}$")


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
        set_setting(db, PAIRINGS_SETTING, "{}")
        set_setting(db, REVOKED_SETTING, "[]")
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


def revoked_origins(db) -> set[str]:
    return set(json.loads(get_setting(db, REVOKED_SETTING, "[]") or "[]"))


def _details(db) -> dict:
    try:
        got = json.loads(get_setting(db, PAIRINGS_SETTING, "{}") or "{}")
    except ValueError:
        got = {}
    return got if isinstance(got, dict) else {}


def pair_origin(db, origin: str, via: str = "token", operator: str | None = None) -> None:
    """Pair an extension origin (`via`: "token" when it first presented the token, "pair_page" when
    the person clicked 允许 on /pair; `operator`: whose token it was given or presented).
    Pairing again lifts a revocation."""
    origins = paired_origins(db) | {origin}
    details = _details(db)
    details[origin] = {"paired_at": clock.now_iso(), "via": via, "operator": operator}
    with transaction(db):
        set_setting(db, PAIRED_SETTING, json.dumps(sorted(origins)))
        set_setting(db, PAIRINGS_SETTING, json.dumps(details, sort_keys=True))
        set_setting(db, REVOKED_SETTING, json.dumps(sorted(revoked_origins(db) - {origin})))


def list_pairings(db) -> list[dict]:
    details = _details(db)
    out = []
    for origin in sorted(paired_origins(db)):
        d = details.get(origin) or {}
        out.append({"extension_id": origin.rsplit("/", 1)[-1], "origin": origin,
                    "paired_at": d.get("paired_at"), "via": d.get("via") or "token",
                    "operator": d.get("operator")})
    return out


def revoke_origin(db, origin: str) -> bool:
    """Unpair one extension: it is refused (403 pairing_revoked) even with the right token until the
    person pairs it again on the helper's /pair page. False when it was not paired."""
    origins = paired_origins(db)
    if origin not in origins:
        return False
    details = _details(db)
    details.pop(origin, None)
    with transaction(db):
        set_setting(db, PAIRED_SETTING, json.dumps(sorted(origins - {origin})))
        set_setting(db, PAIRINGS_SETTING, json.dumps(details, sort_keys=True))
        set_setting(db, REVOKED_SETTING, json.dumps(sorted(revoked_origins(db) | {origin})))
    return True


# Routes only owners may use, whatever the method: (method or None for all, path prefix).
OWNER_ONLY = ((("PUT", "POST", "PATCH", "DELETE"), "/api/v1/settings"), (None, "/api/v1/pairings"),
              (None, "/api/v1/operators"))


def owner_only(method: str, path: str) -> bool:
    """True for a request only an owner may make (settings changes, pairings, operators)."""
    for methods, prefix in OWNER_ONLY:
        if (path == prefix or path.startswith(prefix + "/")) and (methods is None or method in methods):
            return True
    return False


def loopback_remote() -> bool:
    """The request came from this computer (the peer address is a loopback address). A helper
    bound beyond loopback (`serve --host`) answers other computers too: for them there is no
    door without a token (see helper/web/pairing.py)."""
    addr = (request.remote_addr or "").lower()
    if addr.startswith("::ffff:"):
        addr = addr[7:]
    return addr == "::1" or addr.startswith("127.")


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
    identity = authenticate(db, given)
    if identity is None:
        raise ApiError(401, "unauthorized", "缺少或错误的令牌，请在扩展选项中粘贴配对令牌 / Missing or wrong token: paste the pairing token in the extension options")
    # Who did it comes from the token alone (an X-Danhao-Operator header is ignored).
    g.identity, g.operator = identity, identity.name
    if owner_only(request.method, request.path) and not identity.is_owner:
        raise owner_refusal()
    # Extension fetches with host permissions often carry no Origin (GETs): the extension names
    # itself in X-Danhao-Extension too, so a revocation holds for every request it makes.
    named = request.headers.get("X-Danhao-Extension", "")
    caller = origin or (f"chrome-extension://{named}" if EXTENSION_ID.match(named) else None)
    if caller and caller in revoked_origins(db):
        raise ApiError(403, "pairing_revoked", "此扩展已在助手上取消配对：请在扩展弹窗中点击「连接助手」重新配对 / "
                       "This extension was unpaired on the helper: click Connect helper in its popup to pair again",
                       {"origin": caller})
    if caller and caller not in paired_origins(db):
        pair_origin(db, caller, operator=identity.name)


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
