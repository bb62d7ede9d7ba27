"""The manager pages' cached formatters and column-wise builders print what Babel and the
row-by-row code printed (issue 14, point 3)."""

from __future__ import annotations

import numpy as np
import pytest

from reports_gen.i18n import Translator
from reports_gen.site.htmlparts import Formats


@pytest.mark.parametrize("language", ["id", "en"])
def test_negative_zero_keeps_babels_minus_sign_whatever_was_cached_first(language):
    tr = Translator(language, "IDR")
    # Babel prints the sign of -0.0: "-Rp0", "-0%", "-0" (the site's pages use Babel's form)
    assert (tr.money(-0.0), tr.percent(-0.0), tr.number(-0.0)) == ("-Rp0", "-0%", "-0")
    for first, then in ((0.0, -0.0), (-0.0, 0.0)):  # -0.0 == 0.0 and both hash alike
        fmt = Formats(tr)
        results = {}
        for value in (first, then, np.float64(first), np.float64(then)):
            results.setdefault(str(value), set()).add(
                (fmt.money(value), fmt.percent(value), fmt.number(value), fmt.money_compact(value))
            )
        assert results["0.0"] == {("Rp0", "0%", "0", "Rp0")}
        assert results["-0.0"] == {("-Rp0", "-0%", "-0", "-Rp0")}
    fmt = Formats(tr)
    assert fmt.number(-0.0, 1) == ("-0,0" if language == "id" else "-0.0")  # digits still passed on
    assert fmt.number(0.0, 1) == ("0,0" if language == "id" else "0.0")
