"""Browser fixtures shared by the browser tests: the replica server and Chromium with the extension."""

from pathlib import Path

import pytest

from tests.support.browser import launch_chromium
from tests.support.replica_server import ReplicaServer

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def replica():
    srv = ReplicaServer(["pdd-seller", "alibaba-buyer"]).start()
    yield srv
    srv.stop()


@pytest.fixture(scope="module")
def extension_browser(replica, tmp_path_factory):
    """(context, service worker, extension id): the shipped extension in a fresh profile."""
    ctx = launch_chromium(tmp_path_factory.mktemp("profile"), extension_dir=REPO,
                          resolver_rules=replica.host_resolver_rules())
    sw = ctx.service_workers[0] if ctx.service_workers else ctx.wait_for_event("serviceworker")
    yield ctx, sw, sw.url.split("/")[2]
    ctx.close()
