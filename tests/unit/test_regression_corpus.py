"""Every case of the regression corpus (``tests/data/regression_corpus.json``, one per fault
kind of issue #9, each with its source) gives the right number and courier, or the stated
rejection."""
import json
from pathlib import Path

import pytest

from helper.convert import detect

CASES = json.loads((Path(__file__).parents[1] / "data" / "regression_corpus.json").read_text(encoding="utf-8"))["cases"]


def test_every_case_names_its_source_and_kinds_are_unique():
    assert all(c["source"] for c in CASES)
    assert len({c["kind"] for c in CASES}) == len(CASES)


@pytest.mark.parametrize("case", CASES, ids=lambda c: c["kind"])
def test_case(case):
    det = detect(case["raw"], case["courier_text"])
    assert det.number == case["number"]
    if case["number"] is None:
        assert det.reason == case["reason"] and det.candidates == []
        return
    assert det.best.courier == case["courier"]
    assert det.valid is case["valid"]
    assert det.unusual is case.get("unusual", False)
