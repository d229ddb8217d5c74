"""Shared plumbing for the probes: one replica layout + Chromium with the shipped extension."""
from __future__ import annotations

import json

from tests.support.extension import FIRE, PATTERNS, REPO, SEND, ExtensionEnv  # noqa: F401
from tests.support.replica_server import SITES_DIR

PDD_EXPECTED = json.loads((SITES_DIR / "pdd-seller" / "2026" / "expected-extract.json").read_text(encoding="utf-8"))["pages"]


class Env(ExtensionEnv):
    def __init__(self, site, layout, tmp, delay=(0.05, 0.15), datasets=None):
        super().__init__(site, layout, tmp, delay=delay, datasets=datasets)

    def open(self, url=None):
        page = super().open(url)
        page.wait_for_timeout(1200)   # let the load-time promo (300 ms after the first reply) show up first
        return page


def shipment(order_id, option, number, status="ready", sid="s_probe"):
    return {"shipment_id": sid, "site": "pdd-seller", "order_id": order_id, "number": number,
            "courier": {"id": "x", "name": option, "confidence": 0.9},
            "target": {"code": "0", "option": option}, "status": status, "checks": []}


POINTED_DIALOG = """() => {
  const b = document.querySelector('[data-danhao-point="confirm"]');
  if (!b) return null;
  const m = b.closest('[data-testid="beast-core-modal"]');
  const input = m && Array.from(m.querySelectorAll('input')).find((i) => /单号/.test(i.placeholder));
  const sel = m && (m.querySelector('[data-testid="beast-core-select-htmlInput"]') || m.querySelector('select'));
  return {text: m ? m.innerText : '', number: input ? input.value : null,
          courier: sel ? (sel.tagName === 'SELECT' ? sel.selectedOptions[0].textContent : (sel.value || sel.placeholder)) : null};
}"""
