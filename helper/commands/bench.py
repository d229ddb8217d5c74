"""``danhao bench``: the performance figures (issue #5), printed as a table or one JSON object."""
from __future__ import annotations

import json

import click


@click.command("bench")
@click.option("--json", "as_json", is_flag=True, help="一个 JSON 对象 / print one JSON object.")
@click.option("--no-browser", is_flag=True, help="跳过浏览器部分 / skip the Chromium section.")
def bench(as_json: bool, no_browser: bool) -> None:
    """性能基准 / Run the benchmarks: detect, ingest, convert, scale (10k/100k/1M), browser.

    Talks only to 127.0.0.1; databases are built in a temporary folder and removed. Takes
    about two minutes on a 2-core machine. Results and targets: docs/performance.md.

    \b
    Example:
      danhao bench --json --no-browser
    """
    from helper.bench import run, table

    log = None if as_json else (lambda msg: click.echo(msg, err=True))
    result = run(browser=not no_browser, log=log)
    click.echo(json.dumps(result, ensure_ascii=False) if as_json else table(result))
