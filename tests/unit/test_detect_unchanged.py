"""The speed work of issue #9 changed no result: ``detect()`` gives, for a stored sample of
600 inputs, exactly what it gave before (``tests/data/detect_outputs_before_speedup.json``).
The whole comparison (142,354 inputs: the bench corpus, peer suite, regression corpus and
fuzz) was run once by hand; this sample keeps guarding it."""
import json
from pathlib import Path

from helper.convert import detect

DOC = json.loads((Path(__file__).parents[1] / "data" / "detect_outputs_before_speedup.json").read_text(encoding="utf-8"))


def test_sample_is_broad():
    cases = DOC["cases"]
    assert len(cases) == 600
    assert any(c["expected"]["number"] is None for c in cases)
    assert any(c["courier_text"] for c in cases) and any(not c["courier_text"] for c in cases)
    assert any(not c["input"].isascii() for c in cases)


def test_every_output_is_unchanged():
    changed = []
    for case in DOC["cases"]:
        det = detect(case["input"], case["courier_text"])
        got = det.to_json(full=True)
        got["courier_text"] = det.courier_text
        if got != case["expected"]:
            changed.append((case["input"], case["courier_text"], got, case["expected"]))
    assert changed == []
