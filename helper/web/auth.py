"""Review pages are opened as ordinary browser tabs, which cannot send the token header.

The user signs in with the token, the helper's own or an operator's (a POST form: a token in
the URL would stay in the browser's history); the page then carries an HttpOnly, SameSite=Strict cookie derived from the token and
an expiry, so another site can neither read nor send it, it stops working after SESSION_HOURS,
and changing the token (`danhao token --new`) signs every page out. Cookies are not kept apart
by port, so the name carries the helper's port: two helpers on one computer do not sign each
other out, and a cookie of one is never valid for the other (each has its own token).
"""

from __future__ import annotations

import hashlib
import hmac

from flask import request

from .. import clock

SESSION_HOURS = 12
COOKIE = "danhao_session_80"      # the name for a Host without a port (test clients use that)


def cookie_name() -> str:
    """`danhao_session_<port>` for the port this request reached."""
    port = request.host.rsplit(":", 1)[1] if ":" in request.host.rsplit("]", 1)[-1] else "80"
    return f"danhao_session_{port if port.isdigit() else '80'}"


def session_value(token: str, expires: int | None = None) -> str:
    """`<expires unix s>.<hmac(token, expires)>`; a new one lasts SESSION_HOURS."""
    expires = int(clock.now()) + SESSION_HOURS * 3600 if expires is None else expires
    mac = hmac.new(token.encode(), f"danhao-review-pages:{expires}".encode(), hashlib.sha256).hexdigest()
    return f"{expires}.{mac}"


def signed_in(token: str) -> bool:
    given = request.cookies.get(cookie_name(), "")
    head, _, _mac = given.partition(".")
    if not head.isdigit() or int(head) < clock.now():
        return False
    return hmac.compare_digest(given, session_value(token, int(head)))


# An operator's sign-in (helper/operators.py): `<expires>.<token id>.<hmac>`, the HMAC keyed with
# the helper's own token over the token id and that token's digest. Revoking the operator (or
# its token) or `danhao token --new` signs it out; the cookie never holds a token.

def operator_session_value(secret: str, identity, expires: int | None = None) -> str:
    """The cookie value for an operator ``identity`` (one with a ``token_id``)."""
    expires = int(clock.now()) + SESSION_HOURS * 3600 if expires is None else expires
    message = f"danhao-review-pages:{expires}:{identity.token_id}:{identity.token_hash}"
    return f"{expires}.{identity.token_id}.{hmac.new(secret.encode(), message.encode(), hashlib.sha256).hexdigest()}"


def session_for(secret: str, identity) -> str:
    """A new sign-in cookie value for ``identity`` (the implicit owner's is `session_value`)."""
    return session_value(secret) if identity.legacy else operator_session_value(secret, identity)


def session_identity(db):
    """Who this request's sign-in cookie stands for (a `helper.operators.Identity`), or None."""
    from ..operators import Identity, identity_for_token_id, legacy_name
    from ..security import ensure_token

    secret = ensure_token(db)
    given = request.cookies.get(cookie_name(), "")
    parts = given.split(".")
    if not parts[0].isdigit() or int(parts[0]) < clock.now():
        return None
    if len(parts) == 2:
        return Identity(name=legacy_name(db), role="owner") if signed_in(secret) else None
    if len(parts) != 3 or not parts[1].isdigit() or len(parts[1]) > 12:
        return None
    identity = identity_for_token_id(db, int(parts[1]))
    if identity is None or not hmac.compare_digest(given, operator_session_value(secret, identity, int(parts[0]))):
        return None
    return identity
