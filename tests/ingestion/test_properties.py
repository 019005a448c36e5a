"""Any bytes give a parsed edition or a `ParseError` with a reason, in bounded time."""

from __future__ import annotations

import time

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ingestion.parsing import ParsedEdition, ParseError, parse_edition
from tests.ingestion.conftest import SAMPLES, seed_lexicon

LEXICON = seed_lexicon()

_WORDS = st.sampled_from(
    [
        "- ", "• ", " - ", "**", "<u>", ",br>", "March 5, 2021: ", "-: ", "killing ", "at least ",
        "dozens of ", "JNIM ", "claims responsibility. ", "Source: ", "Sources: ", "\n", "\n\n\n",
        "between 20 and 30 ", "Gao, northern Mali", "Suspected jihadists ", "wounding ", "12 ",
        "Major Extremist and Terrorist Incidents\n\n", "Overview\n\n", "(", ")", "—", "a dozen ",
    ]
)  # fmt: skip


def _check(data: bytes) -> None:
    from ingestion.parsing import default_gazetteer

    started = time.perf_counter()
    try:
        result = parse_edition(data, lexicon=LEXICON, gazetteer=default_gazetteer())
    except ParseError as exc:
        assert isinstance(exc.reason, str) and exc.reason
    else:
        assert isinstance(result, ParsedEdition)
    assert time.perf_counter() - started < 2.0


@settings(max_examples=150, deadline=2000, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=4000))
def test_any_bytes_parse_or_fail_with_a_reason(data: bytes) -> None:
    _check(data)


@settings(max_examples=150, deadline=2000, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(_WORDS | st.text(max_size=30), max_size=120).map("".join))
def test_report_like_text_parses_or_fails_with_a_reason(text: str) -> None:
    _check(text.encode("utf-8", "surrogatepass"))


@settings(max_examples=60, deadline=2000, suppress_health_check=[HealthCheck.too_slow])
@given(st.integers(min_value=0, max_value=5000), st.binary(min_size=1, max_size=200))
def test_sample_with_garbage_spliced_in_still_finishes(at: int, junk: bytes) -> None:
    data = (SAMPLES / "mali_2024a.txt").read_bytes()
    _check(data[:at] + junk + data[at:])


def test_empty_and_binary_input_give_actionable_reasons() -> None:
    from ingestion.parsing import default_gazetteer

    gaz = default_gazetteer()
    for data, words in (
        (b"", "empty"),
        (b"   \n\n", "empty"),
        (bytes(range(256)) * 8, "binary"),
        (b"%PDF-1.7 broken", "PDF"),
    ):
        try:
            parse_edition(data, lexicon=LEXICON, gazetteer=gaz)
        except ParseError as exc:
            assert words in exc.reason
        else:
            raise AssertionError(f"{data[:20]!r} parsed")


def test_very_long_single_line_finishes_quickly() -> None:
    from ingestion.parsing import default_gazetteer

    text = ("- March 5, 2021: militants kill at least " + "very " * 20000 + "many.\n") * 3
    started = time.perf_counter()
    parse_edition(text.encode(), lexicon=LEXICON, gazetteer=default_gazetteer())
    assert time.perf_counter() - started < 5
