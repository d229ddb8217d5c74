"""Probes of the 1688 adapter on plausible variants of the 2026 replica."""
from __future__ import annotations

import json

import pytest

from tests.probes import ali_variants as AV
from tests.probes.support import Env

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("layout", ["probe-downstream", "probe-downstream-onenode"])
def test_downstream_order_number_in_the_header(tmp_path, layout):
    """A 代发 order shows 下游订单号：<19 digits> under its own 订单号. The order (and its tracking
    numbers) must still be read, under its own id."""
    env = Env("alibaba-buyer", layout, tmp_path / "p")
    try:
        env.open()
        got = env.send({"type": "test:extract"})
        dom = env.send({"type": "test:extract-via", "source": "dom"})
        target = AV.target_order()
        ids = [o["order_id"] for o in got["orders"]]
        print(f"\nPROBE {layout}: " + json.dumps({"target": target["idStr"], "ids": ids, "source": got["source"],
              "dom_ids": [o["order_id"] for o in dom["orders"]],
              "packages": [o.get("packages") for o in got["orders"] if o["order_id"] in (target["idStr"], AV.DOWNSTREAM_ID)]},
              ensure_ascii=False))
        assert AV.DOWNSTREAM_ID not in ids, "a downstream order number was read as a purchase order id"
        assert target["idStr"] in ids, "the 代发 order (with its tracking numbers) vanished from the sync"
    finally:
        env.close()
