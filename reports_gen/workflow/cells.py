"""Read the cells of messy exports: dates, money and numbers, yes/no, text.

Every parser takes what a spreadsheet or CSV reader gives (str, int, float, bool, datetime,
None or NaN) and returns a value or an error message; none of them raises on bad input.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

import pandas as pd

from reports_gen.dataset.schema import FALSE_WORDS, TRUE_WORDS
from reports_gen.errors import Param

DECIMAL_MARKS = {"comma": ",", "dot": "."}
TRUE_CELLS = frozenset(TRUE_WORDS) | frozenset({"iya", "v", "✓", "✔", "☑", "√", "sudah"})
FALSE_CELLS = frozenset(FALSE_WORDS) | frozenset({"tdk", "x", "✗", "✘", "☐", "-", "belum"})

_EXCEL_EPOCH = dt.date(1899, 12, 30)  # serial 1 = 1900-01-01 in Excel's (leap-bug) 1900 system
_SERIALS = (20000, 110000)  # Excel serials taken as dates: 1954..2201; others are plain numbers
_TIME = r"(?:[ T][0-9]{1,2}[:.][0-9]{2}(?:[:.][0-9]{2}(?:\.[0-9]+)?)?)?"
_YMD = re.compile(r"^([0-9]{4})([-/.])([0-9]{1,2})\2([0-9]{1,2})" + _TIME + "$")
_DMY = re.compile(r"^([0-9]{1,2})([-/.])([0-9]{1,2})\2([0-9]{4}|[0-9]{2})" + _TIME + "$")
_NAMED = re.compile(r"^(?:[^\W\d_]+,?\s+)?([0-9]{1,2})[\s-]+([^\W\d_]+)\.?[\s,-]+([0-9]{4})$")
_MONTHS = {
    **{
        m: i
        for i, m in enumerate(
            ("jan", "feb", "mar", "apr", "mei", "jun", "jul", "agu", "sep", "okt", "nov", "des"), 1
        )
    },
    **{
        m: i
        for i, m in enumerate(
            (
                "januari",
                "februari",
                "maret",
                "april",
                "mei",
                "juni",
                "juli",
                "agustus",
                "september",
                "oktober",
                "november",
                "desember",
            ),
            1,
        )
    },
    **{
        m: i
        for i, m in enumerate(
            (
                "january",
                "february",
                "march",
                "april",
                "may",
                "june",
                "july",
                "august",
                "september",
                "october",
                "november",
                "december",
            ),
            1,
        )
    },
    "may": 5,
    "aug": 8,
    "oct": 10,
    "dec": 12,
    "agt": 8,
    "ags": 8,
    "sept": 9,
    "nop": 11,
    "nopember": 11,
}
_CURRENCY = re.compile(r"^(?:rp\.?|idr)\s*|\s*(?:rp|idr)$", re.IGNORECASE)
_SPACED_GROUPS = re.compile(r"^[0-9]{1,3}(?: [0-9]{3})+(?:[.,][0-9]+)?$")
_DIGITS = re.compile(r"^[0-9.,]*[0-9][0-9.,]*$")


@dataclass(frozen=True)
class Parsed:
    """A parsed cell: `value` (None when empty) or an `error`: the code of why it cannot be read.

    The code and `params` are a Problem's message (see i18n/messages.*.yaml, `problem.<code>`).
    """

    value: object = None
    error: str = ""
    params: tuple[tuple[str, Param], ...] = ()


@dataclass(frozen=True)
class Number:
    """A parsed number cell: a value, two possible readings, or an error.

    `mark` is the decimal mark this text proves ("," or "."), used to read the ambiguous
    cells of the same column; `readings` are (with "," as decimal mark, with "." as decimal mark)
    for text such as `1.500` that could mean either. `error` is a message code, as for Parsed.
    """

    value: Decimal | None = None
    error: str = ""
    mark: str | None = None
    readings: tuple[Decimal, Decimal] | None = None
    params: tuple[tuple[str, Param], ...] = ()

    @property
    def ambiguous(self) -> bool:
        """Tell whether the text reads as two different numbers."""
        return self.readings is not None and self.value is None


def is_empty(cell: object) -> bool:
    """Tell whether a cell holds nothing (None, NaN, NaT or blank text)."""
    if cell is None:
        return True
    if isinstance(cell, float):
        return math.isnan(cell)
    if isinstance(cell, str):
        return not cell.strip()
    return pd.isna(cell) is True  # NaT, NA; False for anything else, including containers


def text_cell(cell: object) -> str:
    """Return a cell as canonical text: stripped, dates in ISO form, whole numbers without `.0`."""
    if is_empty(cell):
        return ""
    if isinstance(cell, bool):
        return "yes" if cell else "no"
    if isinstance(cell, dt.datetime):
        return cell.date().isoformat() if cell.time() == dt.time() else cell.isoformat(sep=" ")
    if isinstance(cell, dt.date):
        return cell.isoformat()
    if isinstance(cell, int | float | Decimal):
        number = parse_number(cell)
        return format_number(number.value) if number.value is not None else str(cell)
    return str(cell).replace("\r\n", "\n").replace("\r", "\n").strip()


def parse_date(cell: object) -> Parsed:
    """Read a date: ISO, day-first dd/mm/yyyy (also `-` and `.`), `23 Nov 2026`, Excel dates and serials."""
    if is_empty(cell):
        return Parsed(None)
    if isinstance(cell, dt.datetime):
        return Parsed(cell.date())
    if isinstance(cell, dt.date):
        return Parsed(cell)
    if isinstance(cell, bool):
        return Parsed(error="import.not-a-date", params=(("text", repr(cell)),))
    if isinstance(cell, int | float):
        return _serial_date(cell)
    text = str(cell).strip()
    if text.isascii() and text.isdigit() and len(text) == 5:
        return _serial_date(int(text))
    if match := _YMD.match(text):
        return _make_date(text, int(match[1]), int(match[3]), int(match[4]))
    if match := _DMY.match(text):
        year = int(match[4]) + (2000 if len(match[4]) == 2 else 0)
        return _make_date(text, year, int(match[3]), int(match[1]), day_first=True)
    if (match := _NAMED.match(text)) and match[2].lower() in _MONTHS:
        return _make_date(text, int(match[3]), _MONTHS[match[2].lower()], int(match[1]))
    return Parsed(error="import.not-a-date", params=(("text", repr(text)),))


def _serial_date(serial: float) -> Parsed:
    if not math.isfinite(serial) or not _SERIALS[0] <= serial < _SERIALS[1]:
        return Parsed(
            error="import.number-not-date",
            params=(("text", repr(serial)),),
        )
    return Parsed(_EXCEL_EPOCH + dt.timedelta(days=int(serial)))


def _make_date(text: str, year: int, month: int, day: int, day_first: bool = False) -> Parsed:
    try:
        return Parsed(dt.date(year, month, day))
    except ValueError:
        if day_first and month > 12:
            return Parsed(error="import.no-such-month", params=(("text", repr(text)), ("month", month)))
        return Parsed(error="import.not-real-date", params=(("text", repr(text)),))


def parse_bool(cell: object) -> Parsed:
    """Read yes/no in English or Indonesian (ya/tidak, v/x, ✓); empty means no."""
    if isinstance(cell, bool):
        return Parsed(cell)
    if is_empty(cell):
        return Parsed(False)
    if isinstance(cell, int | float) and cell in (0, 1):
        return Parsed(bool(cell))
    word = str(cell).strip().lower()
    if word in TRUE_CELLS:
        return Parsed(True)
    if word in FALSE_CELLS:
        return Parsed(False)
    return Parsed(error="import.not-yes-no", params=(("text", repr(str(cell).strip())),))


def parse_number(cell: object, decimal: str | None = None) -> Number:
    """Read a number or amount of money: `Rp 1.500.000,00`, `1,500,000.50`, `IDR 1.500.000`, Excel numbers.

    `decimal` ("comma" or "dot") says which mark separates decimals; without it, text that
    could be read both ways (`1.500`) comes back ambiguous, with both readings.
    """
    if isinstance(cell, bool):
        return Number(error="import.not-a-number", params=(("text", repr(cell)),))
    if is_empty(cell):
        return Number()
    if isinstance(cell, int | Decimal):
        value = Decimal(cell)
        return (
            Number(value)
            if value.is_finite()
            else Number(error="import.not-a-number", params=(("text", repr(cell)),))
        )
    if isinstance(cell, float):
        if not math.isfinite(cell):
            return Number(error="import.not-a-number", params=(("text", repr(cell)),))
        return Number(Decimal(repr(round(cell, 9))))  # drop binary noise of Excel formulas
    if isinstance(cell, dt.date):
        return Number(error="import.date-not-number", params=(("text", repr(text_cell(cell))),))
    text = str(cell).strip()
    try:
        return _parse_number_text(text, decimal)
    except (InvalidOperation, ValueError):  # not reachable for the shapes we accept; never crash
        return Number(error="import.not-a-number", params=(("text", repr(text)),))


def _parse_number_text(text: str, decimal: str | None) -> Number:
    body = text.replace("\xa0", " ").replace("\u202f", " ").strip()
    negative = False
    if body.startswith("(") and body.endswith(")"):  # accounting style for negative amounts
        body, negative = body[1:-1].strip(), True
    money = False
    for _ in range(2):  # the sign may stand before or after the currency: -Rp 5.000, Rp -5.000
        if body[:1] in ("-", "−"):
            body, negative = body[1:].strip(), not negative
        elif body[:1] == "+":
            body = body[1:].strip()
        body, found = _CURRENCY.subn("", body)
        body, money = body.strip(), money or bool(found)
    mark = DECIMAL_MARKS.get(decimal or "")
    for ending in (",-", ",--", ".-"):  # price tags such as Rp 15.000,- : the dash stands for the cents
        if body.endswith(ending) and len(body) > len(ending):
            body, mark = body.removesuffix(ending), mark or ending[0]
            break
    if _SPACED_GROUPS.match(body):
        body = body.replace(" ", "")
    if not body:  # a lone dash: accounting style for nothing
        return Number()
    if not _DIGITS.match(body):
        return Number(
            error="import.not-an-amount",
            params=(("text", repr(text)),),
        )
    number = _read_separators(body, mark)
    if number.readings and money:  # rupiah have two decimals at most: Rp 600.000 is six hundred thousand
        thousands = number.readings[0] if "." in body else number.readings[1]
        number = Number(thousands, mark="," if "." in body else ".")
    if number.error:
        if decimal:
            return Number(
                error="import.not-a-number-with-mark",
                params=(("text", repr(text)), ("mark", repr(DECIMAL_MARKS[decimal])), ("decimal", decimal)),
            )
        return Number(
            error="import.not-an-amount",
            params=(("text", repr(text)),),
        )
    if not negative:
        return number
    if number.readings:
        return Number(readings=(-number.readings[0], -number.readings[1]))
    return Number(-number.value if number.value is not None else None, mark=number.mark)


def _read_separators(body: str, mark: str | None) -> Number:
    """Read digits with `.` and `,` as decimal mark or thousands separator."""
    if mark is not None:
        value = _as_number(body, mark)
        return Number(value, mark=mark) if value is not None else Number(error="bad")
    dots, commas = body.count("."), body.count(",")
    if dots and commas:
        last = "." if body.rfind(".") > body.rfind(",") else ","
        value = _as_number(body, last)
        return Number(value, mark=last) if value is not None else Number(error="bad")
    if not dots and not commas:
        return Number(Decimal(body))
    sep = "." if dots else ","
    other = "," if sep == "." else "."
    if dots + commas > 1:  # repeated: only a thousands separator repeats
        value = _as_number(body, other)
        return Number(value, mark=other) if value is not None else Number(error="bad")
    whole, frac = body.split(sep)
    if not frac:
        return Number(Decimal(whole)) if whole else Number(error="bad")
    as_decimal = Decimal(f"{whole or '0'}.{frac}")
    if len(frac) == 3 and re.fullmatch(r"[1-9][0-9]{0,2}", whole):
        as_thousands = Decimal(whole + frac)
        readings = (as_decimal, as_thousands) if sep == "," else (as_thousands, as_decimal)
        return Number(readings=readings)
    return Number(as_decimal, mark=sep)


def _as_number(body: str, mark: str) -> Decimal | None:
    """Read `body` with `mark` as decimal mark and the other one as thousands separator."""
    sep = "," if mark == "." else "."
    whole, _, frac = body.partition(mark)
    if mark in frac or sep in frac or (not whole and not frac):
        return None
    if sep in whole and not re.fullmatch(r"[1-9][0-9]{0,2}(?:" + re.escape(sep) + r"[0-9]{3})+", whole):
        return None
    digits = whole.replace(sep, "") or "0"
    return Decimal(f"{digits}.{frac}" if frac else digits)


def resolve_column(numbers: Sequence[Number], fallback: str | None = None) -> list[Number]:
    """Read a column's ambiguous cells with the decimal mark its other cells prove, when they agree.

    `fallback` is the mark to use when no cell of the column proves one (say, the mark the
    file's other number columns agree on).
    """
    marks = {n.mark for n in numbers if n.mark} or ({fallback} if fallback else set())
    if len(marks) != 1:
        return list(numbers)
    index = 0 if marks.pop() == "," else 1
    return [Number(n.readings[index], mark=n.mark) if n.ambiguous and n.readings else n for n in numbers]


def ambiguity_params(text: str, number: Number) -> dict[str, Param]:
    """Return what explains an ambiguous number: its mark and the two readings --decimal picks from."""
    assert number.readings is not None
    comma, dot = (format_number(r) for r in number.readings)
    text = text.strip()
    return {
        "text": repr(text),
        "number": text,
        "mark": "." if "." in text else ",",
        "comma": comma,
        "dot": dot,
    }


def format_number(value: Decimal | None) -> str:
    """Write a number plainly: `1500000`, `1500000.5`, never `1.5E+6`."""
    if value is None:
        return ""
    if value == value.to_integral_value():
        return str(int(value))
    return format(value.normalize(), "f")
