"""Start the system's Chromium under Playwright, as it was found to work on this kind of machine.

    from tests.support.browser import launch_chromium
    ctx = launch_chromium(tmp_path / "profile", extension_dir=repo_root,
                          resolver_rules=replica.host_resolver_rules())
    page = ctx.new_page(); page.goto("https://mms.pinduoduo.com/orders/list?tab=0")
    ctx.close()

One Playwright driver per process (the sync API cannot run two in one thread): it is started on
first use and stopped at exit; `get_playwright()` hands it out to code that needs it directly.
A missing browser is a failure with a clear message, never a skip: browser tests that silently
skip prove nothing.
"""
from __future__ import annotations

import atexit
import os
from pathlib import Path

CHROMIUM = os.environ.get("DANHAO_CHROMIUM", "/usr/bin/chromium")

BASE_ARGS = [
    "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run",
]


class ChromiumMissing(RuntimeError):
    pass


_playwright = None


def get_playwright():
    global _playwright
    if _playwright is None:
        from playwright.sync_api import sync_playwright
        _playwright = sync_playwright().start()
        atexit.register(stop_playwright)
    return _playwright


def stop_playwright() -> None:
    global _playwright
    if _playwright is not None:
        try:
            _playwright.stop()
        finally:
            _playwright = None


def chromium_args(extension_dir=None, resolver_rules: str | None = None) -> list[str]:
    args = list(BASE_ARGS)
    if extension_dir is not None:
        ext = str(Path(extension_dir).resolve())
        args += [f"--disable-extensions-except={ext}", f"--load-extension={ext}"]
    if resolver_rules:
        # Replicas answer at the real host names over TLS with a throwaway certificate.
        args += [f"--host-resolver-rules={resolver_rules}", "--ignore-certificate-errors"]
    return args


def launch_chromium(profile_dir, extension_dir=None, resolver_rules: str | None = None, *,
                    headless: bool = True, extra_args=(), ui_language: str = "zh_CN", **context_options):
    """A Playwright persistent context on /usr/bin/chromium (extensions need a persistent one).

    `profile_dir` should be fresh per test session; `extension_dir` is the unpacked extension
    (the repo root holding manifest.json); `resolver_rules` is
    `ReplicaServer.host_resolver_rules()`. Close it with `ctx.close()`.
    `ui_language`: the browser's own language (Linux Chromium takes it from LANGUAGE, and needs
    Debian's chromium-l10n for anything but en-US); the extension's chrome.i18n follows it.
    """
    if not Path(CHROMIUM).exists():
        raise ChromiumMissing(
            f"Chromium not found at {CHROMIUM}: browser tests need it "
            "(apt-get install -y chromium; never `playwright install`).")
    Path(profile_dir).mkdir(parents=True, exist_ok=True)
    args = chromium_args(extension_dir, resolver_rules) + list(extra_args)
    if not headless:
        args.remove("--headless=new")
    options = dict(executable_path=CHROMIUM, headless=headless, args=args,
                   ignore_https_errors=True, locale="zh-CN",
                   viewport={"width": 1400, "height": 900},
                   env={**os.environ, "LANGUAGE": ui_language})
    options.update(context_options)
    return get_playwright().chromium.launch_persistent_context(str(profile_dir), **options)
