"""Chinese first, English on request: `?lang=en` (or `?lang=zh`) switches and is remembered in a
cookie; without either the pages are Chinese. No script needed: the switch is a plain link."""

from __future__ import annotations

from urllib.parse import urlencode

from flask import g, request

COOKIE = "danhao_lang"
LANGS = ("zh", "en")


def current() -> str:
    if "lang" not in g:
        asked = request.args.get("lang", "")
        g.lang = asked if asked in LANGS else (request.cookies.get(COOKIE) if request.cookies.get(COOKIE) in LANGS else "zh")
    return g.lang


def remember(response):
    """After a `?lang=` switch, keep the choice for the next pages."""
    asked = request.args.get("lang", "")
    if asked in LANGS and request.cookies.get(COOKIE) != asked:
        response.set_cookie(COOKIE, asked, max_age=365 * 24 * 3600, samesite="Lax", httponly=True)
    return response


def switch_url(lang: str) -> str:
    """This page in the other language (its filters kept)."""
    args = [(k, v) for k, v in request.args.items(multi=True) if k != "lang"]
    args.append(("lang", lang))
    return request.path + "?" + urlencode(args)


def t(zh: str, en: str) -> str:
    return en if current() == "en" else zh
