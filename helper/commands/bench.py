"""``danhao bench``: the performance figures (issue #5), printed as a table or one JSON object."""
from __future__ import annotations

import json

import click


@click.command("bench", short_help="性能基准 / Run the benchmarks.")
@click.option("--json", "as_json", is_flag=True, help="一个 JSON 对象 / print one JSON object.")
@click.option("--no-browser", is_flag=True, help="跳过浏览器部分 / skip the Chromium section.")
def bench(as_json: bool, no_browser: bool) -> None:
    """性能基准 / Run the benchmarks: detect, ingest, convert, scale (10k/100k/1M), browser.

    Talks only to 127.0.0.1; databases are built in a temporary folder and removed. Takes
    about two minutes on a 2-core machine; a progress bar on standard error shows the
    section running (进度条显示在标准错误上). Results and targets: docs/performance.md.

    \b
    Example:
      danhao bench --json --no-browser
    """
    from helper.bench import run, scale, table
    from helper.progress import StageProgress

    # One step per section: detect, ingest, each scale size, the browser part.
    stages = 2 + len(scale.SIZES) + (0 if no_browser else 1)
    with StageProgress(stages, "性能基准 / bench", quiet=as_json and not _stderr_is_terminal()) as progress:
        result = run(browser=not no_browser, log=progress.step)
    click.echo(json.dumps(result, ensure_ascii=False) if as_json else table(result))


def _stderr_is_terminal() -> bool:
    import sys

    return bool(getattr(sys.stderr, "isatty", None) and sys.stderr.isatty())
