"""`danhao detect` through click's runner (the group in helper/cli.py only registers it)."""
import json

from click.testing import CliRunner

from helper.commands.detect import detect
from helper.convert import detect as engine_detect


def run(*args):
    result = CliRunner().invoke(detect, list(args))
    assert result.exit_code == 0, result.output
    return result.output


def test_json_one_object_per_line_best_first():
    out = run("73012345678901", "JT3012345678901", "--json")
    lines = [json.loads(line) for line in out.splitlines()]
    assert len(lines) == 2
    for line in lines:
        assert list(line) == ["input", "number", "valid", "candidates"]
        confs = [c["confidence"] for c in line["candidates"]]
        assert confs == sorted(confs, reverse=True)
    assert lines[1] == {"input": "JT3012345678901", "number": "JT3012345678901", "valid": True,
                        "candidates": [{"courier": "jt", "name": "极兔速递",
                                        "confidence": lines[1]["candidates"][0]["confidence"]}]}
    assert lines[1]["candidates"][0]["confidence"] >= 0.9
    assert all(c["confidence"] < 0.9 for c in lines[0]["candidates"])


def test_courier_hint_applies_to_every_number():
    out = run("73012345678901", "7501 2345 6789 01", "--courier", "中通快递", "--json")
    lines = [json.loads(line) for line in out.splitlines()]
    assert [line["number"] for line in lines] == ["73012345678901", "75012345678901"]
    assert all(line["candidates"][0]["courier"] == "zto" and line["candidates"][0]["confidence"] >= 0.9
               for line in lines)


def test_same_answer_as_the_engine():
    for raw, hint in [("1123456789012", None), ("YT1234567890123456", "圆通"), ("SF1234567890123", "顺丰快运")]:
        args = [raw, "--json"] + (["--courier", hint] if hint else [])
        assert json.loads(run(*args)) == engine_detect(raw, hint).to_json()


def test_bad_numbers_exit_zero_with_empty_candidates():
    out = run("暂无", "13812345678", "ABCDEFGHIJKL1", "--json")
    lines = [json.loads(line) for line in out.splitlines()]
    assert [line["number"] for line in lines] == [None, None, "ABCDEFGHIJKL1"]
    assert all(line["candidates"] == [] and line["valid"] is False for line in lines)


def test_full_width_input_is_echoed_and_normalized():
    [line] = [json.loads(x) for x in run("ＪＴ３０１２３４５６７８９０１", "--json").splitlines()]
    assert line["input"] == "ＪＴ３０１２３４５６７８９０１" and line["number"] == "JT3012345678901"


def test_table_output():
    out = run("73012345678901", "暂无", "YT1234567890123", "--courier", "中通")
    lines = out.splitlines()
    assert lines[0].startswith("输入 input")
    assert "中通快递(zto)" in lines[1] and "有效 valid" in lines[1]
    assert "无法识别" in lines[2] and "not a tracking number" in lines[2]
    assert "冲突" in lines[3] and "conflicts" in lines[3]


def test_help_ends_with_an_example():
    out = run("--help")
    assert "danhao detect 73012345678901 --courier 中通快递 --json" in out
    body = out.split("Options:")[0].strip()
    assert body.splitlines()[-1].strip().startswith('{"input"')


def test_command_name_for_the_group():
    assert detect.name == "detect"


def test_help_example_is_the_real_output():
    out = run("--help")
    example = json.loads(out.split("Options:")[0].strip().splitlines()[-1].strip())
    assert json.loads(run("73012345678901", "--courier", "中通快递", "--json")) == example
