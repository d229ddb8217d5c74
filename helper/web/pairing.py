"""One-click pairing: the extension's popup (连接助手) opens /pair?ext=<extension id>&state=<nonce>;
the person clicks 允许, the page fetches the token from POST /pair (same origin only) and hands it
to that extension with chrome.runtime.sendMessage (the manifest's `externally_connectable` lets
only loopback pages do that). The extension accepts it only for the pairing it started itself, from
the helper's own origin, and only after checking the token against this helper.

What keeps other pages out:
- GET /pair needs no sign-in but hands out nothing: the token comes from POST /pair, which needs a
  nonce printed in the page (an HMAC with the token: another site cannot read the page, no CORS),
  a JSON body (a cross-site form cannot send one) and, when the browser names it, the same origin;
- the page cannot be framed (no click-jacking of 允许);
- the extension checks the sender's origin, tab and state (extension/background/pairing.js).

Whose token (helper/operators.py): the page pairs the extension for whoever is signed in on the
review pages (an operator signs in with their token, then clicks 允许: the extension gets a new
token of that operator's, one per extension). Nobody signed in: a request from this computer
pairs as the implicit owner with the helper's own token (one click, as before operators);
from another computer (a helper shared with `serve --host`) the page asks to sign in first, and
POST /pair answers 401: beyond loopback nothing is handed out without a token.
"""

from __future__ import annotations

import hashlib
import hmac
import re

from flask import Blueprint, g, jsonify, redirect, render_template, request, url_for

from .. import __version__, clock
from ..db import get_db
from ..errors import ApiError, bad_request
from ..operators import Identity, legacy_name, token_for_extension
from ..security import ensure_token, loopback_remote, pair_origin
from . import i18n
from .auth import session_identity

bp = Blueprint("pairing", __name__, template_folder="templates")
EXTENSION_ID = re.compile(r"^[a-p]{32}$")
STATE = re.compile(r"^[A-Za-z0-9_-]{16,128}$")
NONCE_MINUTES = 10


def _nonce(token: str, ext: str, state: str, expires: int, who: str = "") -> str:
    """``who``: the identity the page was shown to (its token id, "" for the implicit owner), so
    a page shown to one sign-in cannot pair for another."""
    mac = hmac.new(token.encode(), f"danhao-pair:{ext}:{state}:{expires}:{who}".encode(), hashlib.sha256).hexdigest()
    return f"{expires}.{mac}"


def _nonce_ok(token: str, ext: str, state: str, given: str, who: str = "") -> bool:
    head, _, _ = (given or "").partition(".")
    if not head.isdigit() or int(head) < clock.now():
        return False
    return hmac.compare_digest(given, _nonce(token, ext, state, int(head), who))


def _pairing_identity(db) -> Identity | None:
    """Whom the extension is paired for: the review-page sign-in; else, from this computer, the
    implicit owner; else None (another computer must sign in first)."""
    identity = session_identity(db)
    if identity is None and loopback_remote():
        identity = Identity(name=legacy_name(db), role="owner")
    if identity is not None:
        g.identity = identity
    return identity


def _who(identity: Identity) -> str:
    return "" if identity.legacy else str(identity.token_id)


@bp.context_processor
def _helpers():
    return {"lang": i18n.current(), "t": i18n.t, "version": __version__, "switch_url": i18n.switch_url}


@bp.after_request
def _no_frames(response):
    response.headers["X-Frame-Options"] = "DENY"
    response.headers["Content-Security-Policy"] = "frame-ancestors 'none'"
    response.headers["Cache-Control"] = "no-store"
    response.headers["Referrer-Policy"] = "no-referrer"
    return i18n.remember(response)


@bp.get("/pair")
def pair_page():
    ext = request.args.get("ext", "")
    state = request.args.get("state", "")
    if not EXTENSION_ID.match(ext) or not STATE.match(state):
        return render_template("pair.html", error=True, ext="", state="", nonce=""), 400
    db = get_db()
    identity = _pairing_identity(db)
    if identity is None:
        return redirect(url_for("web.login", next=request.full_path))
    token = ensure_token(db)
    nonce = _nonce(token, ext, state, int(clock.now()) + NONCE_MINUTES * 60, _who(identity))
    return render_template("pair.html", error=False, ext=ext, state=state, nonce=nonce, pairing_as=identity,
                           switch_login=url_for("web.login", next=request.full_path))


@bp.post("/pair")
def pair_allow():
    """The person clicked 允许: the token for the extension named in the page, and the pairing recorded."""
    own = request.host_url.rstrip("/")
    origin = request.headers.get("Origin")
    if (origin and origin != own) or request.headers.get("Sec-Fetch-Site", "same-origin") != "same-origin":
        raise ApiError(403, "origin_forbidden", "只有助手自己的配对页面可以配对 / Only the helper's own pairing page may pair",
                       {"origin": origin or ""})
    body = request.get_json(silent=True) if request.is_json else None
    if not isinstance(body, dict):
        raise bad_request("invalid_body", "需要 JSON 请求体 / A JSON body is required", field="$")
    ext, state, nonce = (str(body.get(k) or "") for k in ("ext", "state", "nonce"))
    if not EXTENSION_ID.match(ext) or not STATE.match(state):
        raise bad_request("invalid_extension_id", "扩展 ID 或配对请求无效 / Invalid extension id or pairing request",
                          field="ext")
    db = get_db()
    identity = _pairing_identity(db)
    if identity is None:
        raise ApiError(401, "unauthorized", "请先用你的令牌登录助手页面，再点允许 / "
                       "Sign in to the helper's pages with your token first, then click Allow")
    token = ensure_token(db)
    if not _nonce_ok(token, ext, state, nonce, _who(identity)):
        raise ApiError(403, "pairing_expired", "配对页面已过期：请在扩展弹窗中再点一次「连接助手」 / "
                       "This pairing page expired: click Connect helper in the extension's popup again")
    if not identity.legacy:   # the signed-in operator's own token for this extension (only digests are kept)
        token = token_for_extension(db, identity, ext)
    pair_origin(db, f"chrome-extension://{ext}", via="pair_page", operator=identity.name)
    return jsonify({"token": token, "extension_id": ext, "state": state, "operator": identity.name})
