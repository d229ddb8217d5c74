"""The peer suite of issue #9: jkeen/tracking_number_data's own test numbers (data file with its
source, ``tests/data/peer_suite_jkeen.json``) for the six cross-border couriers Danhao lists.

Done when ≥ 95 of the 100 valid numbers get the right courier first and none of the 47
invalid ones is accepted as that courier's number."""
import json
from pathlib import Path

from helper.convert import detect

DATA = json.loads((Path(__file__).parents[1] / "data" / "peer_suite_jkeen.json").read_text(encoding="utf-8"))


def score():
    right, wrong, accepted = 0, [], []
    for suite in DATA["suites"]:
        ids = set(suite["danhao_ids"])
        for raw in suite["valid"]:
            det = detect(raw)
            if det.best is not None and det.best.courier in ids:
                right += 1
            else:
                wrong.append((suite["name"], raw, det.best and det.best.courier))
        for raw in suite["invalid"]:
            det = detect(raw)
            if det.valid and det.best is not None and det.best.courier in ids:
                accepted.append((suite["name"], raw))
    return right, wrong, accepted


def test_the_data_file_is_the_published_suite():
    assert DATA["source"]["repository"] == "https://github.com/jkeen/tracking_number_data"
    assert sum(len(s["valid"]) for s in DATA["suites"]) == 100
    assert sum(len(s["invalid"]) for s in DATA["suites"]) == 47


def test_at_least_95_of_100_valid_numbers_get_the_right_courier_first():
    right, wrong, _ = score()
    assert right >= 95, wrong


def test_no_invalid_number_is_accepted():
    _, _, accepted = score()
    assert accepted == []
