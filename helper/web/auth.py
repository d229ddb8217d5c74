"""Review pages are opened as ordinary browser tabs, which cannot send the token header.

The user signs in once with the token (pasted, or through the popup's link); the page then
carries an HttpOnly, SameSite=Strict cookie derived from the token, so another site can
neither read nor send it, and changing the token signs every page out.
"""

from __future__ import annotations

import hashlib
import hmac

from flask import request

COOKIE = "danhao_session"


def session_value(token: str) -> str:
    return hmac.new(token.encode(), b"danhao-review-pages", hashlib.sha256).hexdigest()


def signed_in(token: str) -> bool:
    given = request.cookies.get(COOKIE, "")
    return bool(given) and hmac.compare_digest(given, session_value(token))
