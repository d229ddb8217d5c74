"""``danhao detect``: identify the courier of tracking numbers from the command line.

A thin shell over ``helper.convert.detect`` (the same engine the HTTP API uses). Bad numbers
are answers, not errors: the exit status is 0 whatever the numbers are.
"""
from __future__ import annotations

import json

import click

from helper.convert import detect as detect_number


def _table_line(det) -> str:
    if det.number is None:
        return f"{det.input}\t—\t无法识别 / not a tracking number ({det.reason})"
    valid = "有效 valid" if det.valid else "无效 invalid"
    if not det.candidates:
        return f"{det.input}\t{det.number}\t{valid}\t无匹配快递 / no courier fits"
    cands = "，".join(f"{c.name}({c.courier}) {c.confidence:.2f}" for c in det.candidates[:5])
    flag = "\t⚠ 与物流公司文字冲突 / conflicts with courier text" if det.conflict else ""
    return f"{det.input}\t{det.number}\t{valid}\t{cands}{flag}"


@click.command("detect")
@click.argument("numbers", nargs=-1, required=True)
@click.option("--courier", "courier_text", default=None, metavar="TEXT",
              help="供应商页面上的物流公司文字，作为证据 / courier text from the supplier page (evidence).")
@click.option("--json", "as_json", is_flag=True,
              help="每行一个 JSON 对象 / one JSON object per line.")
def detect(numbers: tuple[str, ...], courier_text: str | None, as_json: bool) -> None:
    """识别运单号的快递公司 / Identify the courier of tracking numbers.

    Prints candidates best first with a confidence in [0, 1]; numbers that fit no courier
    get no candidates. Exit status is 0 even for bad numbers.

    \b
    Example:
      danhao detect 73012345678901 --courier 中通快递 --json
      {"input": "73012345678901", "number": "73012345678901", "valid": true, "candidates": [{"courier": "zto", "name": "中通快递", "confidence": 0.96}]}
    """
    if not as_json:
        click.echo("输入 input\t单号 number\t有效 valid\t候选 candidates")
    for raw in numbers:
        det = detect_number(raw, courier_text)
        if as_json:
            click.echo(json.dumps(det.to_json(), ensure_ascii=False))
        else:
            click.echo(_table_line(det))
