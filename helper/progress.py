"""Progress bars for long commands (`danhao bench`), drawn with `rich` on standard error.

`StageProgress(total, title)` is a context manager; `step(message)` marks one stage done and
shows what runs next. On a terminal it is a live bar (stage n/total, elapsed time); when
standard error is not a terminal (CI, a pipe) it prints one plain line per stage instead, so
logs stay readable. Standard output is never touched (`--json` output stays clean).
"""
from __future__ import annotations

import sys
from typing import IO

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn


class StageProgress:
    def __init__(self, total: int, title: str, *, file: IO[str] | None = None, force_terminal: bool | None = None,
                 quiet: bool = False):
        self.total, self.title, self.quiet = total, title, quiet
        self.console = Console(file=file or sys.stderr, force_terminal=force_terminal, highlight=False)
        self.done = 0
        self._progress: Progress | None = None
        self._task = None

    @property
    def live(self) -> bool:
        return self.console.is_terminal and not self.quiet

    def __enter__(self) -> "StageProgress":
        if self.live:
            self._progress = Progress(TextColumn("[bold]{task.description}"), BarColumn(), MofNCompleteColumn(),
                                      TimeElapsedColumn(), TextColumn("{task.fields[stage]}"),
                                      console=self.console, transient=False)
            self._progress.start()
            self._task = self._progress.add_task(self.title, total=self.total, stage="")
        return self

    def step(self, message: str) -> None:
        """One stage finished (or started, for the first message): advance and show ``message``."""
        self.done = min(self.total, self.done + 1)
        if self._progress is not None:
            self._progress.update(self._task, completed=self.done, stage=message)
        elif not self.quiet:
            self.console.print(f"[{self.done}/{self.total}] {message}", markup=False)

    def __exit__(self, exc_type, exc, tb) -> None:
        if exc_type is None:
            self.done = self.total
            if self._progress is not None:
                self._progress.update(self._task, completed=self.total, stage="完成 / done")
        if self._progress is not None:
            self._progress.stop()
