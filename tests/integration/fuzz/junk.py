"""Junk for forms and the JSON API: wrong types, huge values, NUL and control characters,
right-to-left and combining unicode, spreadsheet formula payloads, SQL-ish strings and
impossible dates, mixed with plausible values so some submissions get through to the rules.

CASEWORK_FUZZ_EXAMPLES sets the examples per endpoint (default 25; CI 200; ``make fuzz`` 3000).
"""

from __future__ import annotations

import datetime as dt
import os
from typing import Any

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

EXAMPLES = int(os.environ.get("CASEWORK_FUZZ_EXAMPLES", "25"))

#: Derandomised so a CI failure reproduces locally with the same example count; ``make fuzz``
#: (thousands of examples) explores freely.
FUZZ = settings(max_examples=EXAMPLES, deadline=None, database=None, print_blob=True,
                derandomize=EXAMPLES <= 200,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                                       HealthCheck.function_scoped_fixture,
                                       HealthCheck.filter_too_much])

FORMULAS = ["=cmd|' /C calc'!A0", "+1", "-1", "@SUM(1+1)", "=HYPERLINK(\"http://x\")", "\t=1",
            "\r=1", "+SUM(A1:A9)", "-2+3"]
SQLISH = ["' OR 1=1 --", "'; DROP TABLE cases; --", "\" OR \"\"=\"", "%", "_", "\\", "1) OR (1=1",
          "NULL", "null", "None"]
CONTROL = ["\x00", "a\x00b", "\x1b[31m", "\x07", "\x7f", "\x0b", "\x0c", "line\nbreak", "\r\n",
           "\ufeff", "\u200b"]
UNICODE = ["\u202eevil\u202c", "\u0644\u0627", "\U0001f600", "e\u0301\u0301\u0301", "\uff11\uff12",
           "\u0661\u0662\u0663", "\u00bd", "\u2163", "\u00df", "\u0130", "\U0001d7d9", "Z\u0351\u0360"]
HUGE = ["x" * 10_001, "\u00e9" * 12_000, "9" * 400, "1" * 40, "a " * 6000]
WORDS = ["", " ", "0", "-0", "1", "y", "yes", "on", "true", "false", "<script>alert(1)</script>",
         "{{7*7}}", "${7*7}", "../../etc/passwd", "%00", "&#0;", "None"]

NASTY_TEXT = st.sampled_from(FORMULAS + SQLISH + CONTROL + UNICODE + HUGE + WORDS)
TEXT = st.one_of(NASTY_TEXT, st.text(max_size=40), st.text(min_size=100, max_size=300))

NUMBER_TEXT = st.one_of(
    st.sampled_from(["-1", "-0", "0", "1", "12", "1200", "99999", "2147483648", "9" * 400, "1e3",
                     "1e400", "NaN", "nan", "Infinity", "-Infinity", "0x10", "1_000", "1.5", "1,2",
                     "\uff11", "\u0661", "\u00b2", "12 ", " 3"]),
    st.integers().map(str), st.integers(min_value=2**31, max_value=2**80).map(str),
    st.floats(allow_nan=True, allow_infinity=True).map(str))

MONEY_TEXT = st.one_of(
    st.sampled_from(["0", "0.00", "-1", "-0.01", "0.001", "1.005", "£1,000.00", "£1,00.0.1",
                     "1,2,3", "1e400", "1E5", "NaN", "Infinity", "9" * 40, "9" * 400,
                     "99999999999999.99", "100000000000000", "£", "£-5", "--5", "(5.00)",
                     "\u0661\u0660\u0660", "5\u00a0000", "1.", ".5", "+5"]),
    st.decimals(min_value=0, max_value=10**7, places=2).map(str), st.integers().map(str))

IMPOSSIBLE_DATES = [("31", "02", "2026"), ("30", "2", "2024"), ("00", "13", "0000"),
                    ("1", "1", "99999"), ("1", "1", "0001"), ("32", "1", "2026"),
                    ("29", "2", "2025"), ("-1", "1", "2026"), ("1", "1", "26"), ("1", "1", ""),
                    ("", "", "2026"), ("1", "1", "1899"), ("31", "12", "9999"), ("1.5", "1", "2026"),
                    ("\u0661", "1", "2026"), ("1", "1", "2026\x00")]


def _plausible_dates() -> st.SearchStrategy[dt.date]:
    return st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2100, 12, 31))


# --- web form parts ---------------------------------------------------------------------------

FORM_VALUE = st.one_of(TEXT, NUMBER_TEXT)

DATE_PARTS = st.one_of(
    _plausible_dates().map(lambda d: [str(d.day), str(d.month), str(d.year)]),
    st.sampled_from(IMPOSSIBLE_DATES).map(list),
    st.lists(st.one_of(st.sampled_from(["1", "12", "2026", ""]), FORM_VALUE), max_size=5))

INT_TEXT = st.one_of(st.integers(min_value=0, max_value=120).map(str), NUMBER_TEXT, TEXT)

MONEY = st.one_of(MONEY_TEXT, TEXT)


# --- JSON ----------------------------------------------------------------------------------------

JSON_SCALAR = st.one_of(
    st.none(), st.booleans(), st.integers(), st.integers(min_value=2**63, max_value=2**200),
    st.integers(min_value=-(2**200), max_value=-(2**63)),
    st.floats(allow_nan=False, allow_infinity=False), st.just(1e308), st.just(-0.0), TEXT,
    st.sampled_from(["2026-02-30", "2026-13-01", "0000-01-01", "99999-01-01", "2026-1-1",
                     "2026-01-01T00:00:00Z", "20260101", "01/02/2026", "9999-12-31"]))

JSON_VALUE = st.recursive(JSON_SCALAR, lambda inner: st.one_of(
    st.lists(inner, max_size=3), st.dictionaries(st.text(max_size=6), inner, max_size=3)),
    max_leaves=6)


def deeply_nested(depth: int) -> str:
    return "[" * depth + "]" * depth


#: Raw bodies that are not a JSON object (or not JSON at all).
RAW_BODIES = st.one_of(
    st.sampled_from([b"", b"null", b"[]", b"1", b'"text"', b"{", b"{'a': 1}", b'{"a": NaN}',
                     b'{"a": Infinity}', b'{"a": -Infinity}', b'{"a": 1e999999}',
                     b'{"a": 1}{"b": 2}', b"\xff\xfe{", b'{"a": "\\ud800"}', b'{"a": "\x00"}',
                     b"\x00", deeply_nested(5000).encode(), b'{"a":' * 3000 + b"1" + b"}" * 3000,
                     b"a=1&b=2", b'{"version": 1' + b" " * 100 + b"}",
                     b'{"' + b"k" * 70_000 + b'": 1}', b"[" + b"1," * 50_000 + b"1]"]),
    st.binary(max_size=60))

CONTENT_TYPES = st.sampled_from(["application/json", "text/plain", "application/x-www-form-urlencoded",
                                 "multipart/form-data", "application/json; charset=latin-1", ""])


def mixed(good: st.SearchStrategy[Any], junk: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    """A good value most of the time (so the rules behind the first check are reached)."""
    return st.one_of(good, good, junk)
