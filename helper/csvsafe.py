"""CSV files that a spreadsheet opens as text, never as formulas (CSV injection).

`writer(buffer, **fmtparams)` is `defusedcsv.csv.writer` (the kept library's rule: a cell
starting with `=`, `+`, `-`, `@`, `|` or `%` gets a leading `'`, unless it is a plain number
such as `-1` or `-12.50`), with one addition the library leaves out: a cell starting with a
tab or a carriage return (`"\\t=cmd|…"`) gets the `'` too. `+8613800000000` becomes
`'+8613800000000`: still readable, never evaluated. Numbers pass unchanged.

`as_text(value)` prefixes a tab to an id made only of letters, digits and `-_.:/#` that starts
with a letter or a digit (the usual way to keep Excel from showing a long order id or
tracking number as 1.23E+14); `writer` lets exactly those through. Any other value is left
to the rule above.
"""

from __future__ import annotations

import re

from defusedcsv import csv as defused

_PLAIN_ID = re.compile(r"^[^\W_][\w\-.:/#]*$")


class _TextCell(str):
    """A tab + a plain id, made by `as_text`: safe as it is."""


def _cell(value):
    if isinstance(value, _TextCell):
        return str(value)
    if isinstance(value, str) and value[:1] in ("\t", "\r"):
        return "'" + value
    return value


class _Writer:
    def __init__(self, inner):
        self.inner = inner

    def writerow(self, row):
        return self.inner.writerow([_cell(v) for v in row])

    def writerows(self, rows):
        for row in rows:
            self.writerow(row)


def writer(buffer, **fmtparams) -> _Writer:
    return _Writer(defused.writer(buffer, **fmtparams))


def as_text(value: str) -> str:
    return _TextCell("\t" + value) if _PLAIN_ID.match(value) else value


def as_text_joined(values: list[str], separator: str) -> str:
    """Several ids in one cell, `separator` between them (a bulk-shipping file's numbers of one
    order), kept as text the way `as_text` keeps one id: a tab first when every part is a plain
    id. One value gives what `as_text` gives."""
    joined = separator.join(values)
    if values and all(_PLAIN_ID.match(v) for v in values) and not any(ch in separator for ch in "\t\r\n"):
        return _TextCell("\t" + joined)
    return joined
