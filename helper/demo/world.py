"""The demo's world: helper on a throwaway database, replica pages, Chromium with the extension
loaded and paired. Everything binds 127.0.0.1; everything is removed by `close()`."""
from __future__ import annotations

import logging
import os
import shutil
import tempfile
import threading
import time
from pathlib import Path

import requests

from . import ROOT

PDD = "https://mms.pinduoduo.com/*"
ALI = "https://*.1688.com/*"
OPERATOR = "演示"

class DemoWorld:
    def __init__(self, *, headless: bool, port: int = 0, delay: tuple[float, float] = (0.05, 0.2)):
        self.headless, self.port, self.delay = headless, port, delay
        self.tmp: tempfile.TemporaryDirectory | None = None
        self._old_home: str | None = None
        self._home_set = False
        self.server = None
        self.srv = None
        self.ctx = None
        self.sw = None
        self.ext_id = ""
        self.token = ""
        self.url = ""

    # ---------------------------------------------------------------- start

    def start(self) -> "DemoWorld":
        try:
            self._start_helper()
            self._start_replicas()
            self._start_browser()
        except BaseException:
            self.close()
            raise
        return self

    def _start_helper(self) -> None:
        import waitress

        from ..app import create_app
        from ..cli_errors import listen_error, open_database
        from ..security import ensure_token
        from ..store import connect

        self.tmp = tempfile.TemporaryDirectory(prefix="danhao-demo-", ignore_cleanup_errors=True)
        folder = Path(self.tmp.name)
        # Nothing in this process may reach the user's own data folder.
        self._old_home = os.environ.get("DANHAO_HOME")
        os.environ["DANHAO_HOME"] = str(folder)
        self._home_set = True
        self.db_path = folder / "danhao.db"
        open_database(self.db_path)
        app = create_app({"DB_PATH": str(self.db_path)})
        db = connect(self.db_path)
        try:
            self.token = ensure_token(db)
        finally:
            db.conn.close()
        try:
            self.server = waitress.create_server(app, host="127.0.0.1", port=self.port, threads=6, ident="danhao")
        except OSError as err:
            raise listen_error("127.0.0.1", self.port, err)
        self.port = self.server.effective_port
        self.url = f"http://127.0.0.1:{self.port}"
        threading.Thread(target=self._serve, name="danhao-demo-helper", daemon=True).start()

    def _serve(self) -> None:
        try:
            self.server.run()
        except Exception:   # closed under it at exit
            pass

    def _start_replicas(self) -> None:
        from tests.support.replica_server import ReplicaServer
        from tests.support.replicas.demo_data import linked_purchases

        self.srv = ReplicaServer(["pdd-seller", "alibaba-buyer"], layouts={"pdd-seller": "2026", "alibaba-buyer": "2026"},
                                 datasets={"alibaba-buyer": linked_purchases()}, delay=self.delay).start()

    def _start_browser(self) -> None:
        from tests.support.browser import launch_chromium
        from tests.support.extension import pair, service_worker

        self.ctx = launch_chromium(Path(self.tmp.name) / "profile", extension_dir=ROOT,
                                   resolver_rules=self.srv.host_resolver_rules(), headless=self.headless)
        self.sw = service_worker(self.ctx)
        self.ext_id = self.sw.url.split("/")[2]
        # Paired as the options page would leave it: helper URL, token, operator; auto-submit off.
        pair(self.sw, self, OPERATOR)

    # ---------------------------------------------------------------- use

    def api(self, path: str) -> dict:
        r = requests.get(self.url + path, headers={"X-Danhao-Token": self.token}, timeout=10)
        r.raise_for_status()
        return r.json()

    def site_url(self, site: str) -> str:
        return self.srv.url(site)

    # ---------------------------------------------------------------- stop

    def close(self) -> None:
        # After a Ctrl+C in a terminal the Playwright driver may already be gone (it got the
        # signal too): its closed connection is expected here, not worth a traceback.
        logging.getLogger("asyncio").setLevel(logging.CRITICAL)
        if self.ctx is not None:
            try:
                self.ctx.close()
            except Exception:
                pass
            self.ctx = None
        try:
            from tests.support.browser import stop_playwright
            stop_playwright()
        except Exception:
            pass
        if self.srv is not None:
            self.srv.stop()
            self.srv = None
        if self.server is not None:
            try:
                self.server.close()
            except Exception:
                pass
            self.server = None
        if self._home_set:
            if self._old_home is None:
                os.environ.pop("DANHAO_HOME", None)
            else:
                os.environ["DANHAO_HOME"] = self._old_home
            self._home_set = False
        if self.tmp is not None:
            # A browser whose driver died exits a moment later and may still write its profile.
            folder = Path(self.tmp.name)
            deadline = time.time() + 10
            while True:
                shutil.rmtree(folder, ignore_errors=True)
                if not folder.exists() or time.time() > deadline:
                    break
                time.sleep(0.3)
            self.tmp.cleanup()
            self.tmp = None
