"""Review pages are opened as ordinary browser tabs, which cannot send the token header.

The user signs in with the token (a POST form: a token in the URL would stay in the browser's
history); the page then carries an HttpOnly, SameSite=Strict cookie derived from the token and
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
