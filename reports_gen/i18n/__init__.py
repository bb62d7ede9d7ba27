"""User-facing strings in Indonesian and English, and locale-aware number formats (Babel)."""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Hashable
from functools import lru_cache
from pathlib import Path
from typing import cast

import yaml
from babel.dates import format_date, format_interval
from babel.numbers import (
    format_compact_currency,
    format_currency,
    format_decimal,
    format_percent,
    get_currency_symbol,
)

LANGUAGES = ("id", "en")
LOCALES = {"id": "id_ID", "en": "en_US"}


@lru_cache(maxsize=4)
def _strings(language: str) -> dict[str, str]:
    """Merge every `<area>.<language>.yaml` beside this module (alerts, site, charts, diff...)."""
    strings: dict[str, str] = {}
    for path in sorted(Path(__file__).parent.glob(f"*.{language}.yaml")):
        loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml when there: 10x faster
        strings.update(yaml.load(path.read_text(encoding="utf-8"), Loader=loader) or {})
    return strings


class Translator:
    """Look up strings and format numbers, money and dates for one language."""

    def __init__(self, language: str = "id", currency: str = "IDR"):
        self.language = language if language in LANGUAGES else "id"
        self.locale = LOCALES[self.language]
        self.currency = currency
        # A currency keeps its home symbol in every language (Rp, not IDR, on English pages too).
        self._symbol = get_currency_symbol(currency, _HOME_LOCALES.get(currency, self.locale))

    def __call__(self, key: str, **values: object) -> str:
        """Return the string `key` with `values` filled in."""
        text = self.template(key) or key
        return text.format(**values) if values else text

    def template(self, key: str) -> str | None:
        """Return the unfilled string `key` (English when this language lacks it), or None."""
        return _strings(self.language).get(key) or _strings("en").get(key)

    def plural(self, key: str, count: int, **values: object) -> str:
        """Return `key.one` or `key.other` for `count`, with `count` and `values` filled in."""
        return self(f"{key}.{'one' if count == 1 else 'other'}", count=count, **values)

    def money(self, value: float | None) -> str:
        """Format an amount of money, e.g. Rp1.500.000."""
        if value is None or _missing(value):
            return "–"
        return _money(_kind(value), _negative_zero(value), value, self.currency, self.locale, self._symbol)

    def money_compact(self, value: float | None) -> str:
        """Format money in a short form for axes and cards, e.g. Rp1,5 M."""
        if value is None or _missing(value):
            return "–"
        text = format_compact_currency(value, self.currency, locale=self.locale, fraction_digits=1)
        return text.replace(self.currency, self._symbol)

    def number(self, value: float | None, digits: int = 0) -> str:
        """Format a number with the locale's separators."""
        if value is None or _missing(value):
            return "–"
        return _decimal(_kind(value), _negative_zero(value), value, digits, self.locale)

    def percent(self, value: float | None, digits: int = 0) -> str:
        """Format a ratio as a percentage, e.g. 0.8125 -> 81%."""
        if value is None or _missing(value):
            return "–"
        return _percent(_kind(value), _negative_zero(value), value, digits, self.locale)

    def date(self, value: dt.date, style: str = "medium") -> str:
        """Format a date in the locale's style, e.g. 23 Nov 2026."""
        return _format_date(value, style, self.locale)

    def period(self, code: str, long: bool = True) -> str:
        """Name a period as people say it: 'November 2026', 'Q4 2026', 'Minggu ke-47 (16–22 Nov 2026)'."""
        return _period_label(code, long, self.language)


_HOME_LOCALES = {"IDR": "id_ID"}


@lru_cache(maxsize=4096)
def _period_label(code: str, long: bool, language: str) -> str:
    tr, locale = Translator(language), LOCALES[language]
    year, _, rest = code.partition("-")
    if not rest:
        return year
    kind, number = rest[0], rest[1:]
    if kind == "W":
        start = dt.date.fromisocalendar(int(year), int(number), 1)
        end = start + dt.timedelta(days=6)
        name = tr("period.week", number=int(number))
        if not long:
            return name
        return f"{name} ({format_interval(start, end, 'yMMMd', locale=locale)})"
    if kind in "QH":
        return tr(f"period.{'quarter' if kind == 'Q' else 'half'}", number=int(number), year=year)
    return format_date(dt.date(int(year), int(rest), 1), format="MMMM y", locale=locale)


@lru_cache(maxsize=4096)
def _format_date(value: dt.date, style: str, locale: str) -> str:
    # Pages show the same few hundred days thousands of times; Babel is slow per call.
    return format_date(value, format=style, locale=locale)


# Pages format the same figures thousands of times and Babel is slow per call: each formatter is
# cached by value. The value's type and the sign of a zero are part of the key, so a cached text is
# always the one Babel gives for that value (-0.0 == 0.0, but Babel prints "-0" for it).


@lru_cache(maxsize=1 << 16)
def _money(kind: Hashable, negative_zero: bool, value: float, currency: str, locale: str, symbol: str) -> str:
    text = format_currency(value, currency, locale=locale, format_type="standard", currency_digits=True)
    return text.replace("\xa0", "").replace(currency, symbol)


@lru_cache(maxsize=1 << 16)
def _decimal(kind: Hashable, negative_zero: bool, value: float, digits: int, locale: str) -> str:
    pattern = "#,##0" + ("." + "0" * digits if digits else "")
    return format_decimal(value, format=pattern, locale=locale)


@lru_cache(maxsize=1 << 16)
def _percent(kind: Hashable, negative_zero: bool, value: float, digits: int, locale: str) -> str:
    pattern = "#,##0" + ("." + "0" * digits if digits else "") + "%"
    return format_percent(value, format=pattern, locale=locale)


def _kind(value: float) -> Hashable:
    return cast(Hashable, type(value))  # float, int, numpy's float64...: each formats its own way


def _negative_zero(value: float) -> bool:
    return value == 0 and math.copysign(1.0, value) < 0


def _missing(value: float) -> bool:
    try:
        return math.isnan(value)
    except TypeError:
        return False
