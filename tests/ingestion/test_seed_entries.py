"""Hand-checked readings of the seed edition's timeline (figures and facts, not its sentences).

Each case was read off the seed by a person, line by line, including the garbled entries:
page breaks inside entries, a date glued to the line before, repeated lines with a fixed typo,
" - " continuation bullets, undated and "-:" entries, and sources cut by the page.
"""

from __future__ import annotations

from typing import Any

import pytest

from ingestion.parsing import ParsedEdition
from ingestion.parsing.model import Count, Entry

E = "exact"
# line: expected fields. Counts are (min, max, qualifier); None means "no figure".
CASES: dict[int, dict[str, Any]] = {
    91: {"date": ("2024-09-17", None), "killed": (77, 77, E), "wounded": (255, 255, E),
         "perps": {"jnim": "claimed"}, "sources": ["Defense Post", "France 24"],
         "place": "Bamako"},
    93: {"date": ("2024-08-13", None), "type": "arrest_or_trial", "killed": None},
    95: {"date": ("2024-08-11", None), "killed": (26, None, "at_least"), "place": "Dembo"},
    97: {"date": ("2024-07-25", "2024-07-27"), "killed": None,
         "claims": {("csp-dpa", "killed"): (131, None)}},
    99: {"date": ("2024-07-03", None), "killed": (21, None, "at_least"),
         "perps": {"jnim": "suspected"}},
    100: {"killed": (18, None, "at_least"), "wounded": (21, 21, E)},
    101: {"date": ("2024-04-29", None), "killed": (10, 10, E)},
    110: {"date": ("2024-04-16", "2024-04-29"), "kidnapped": (110, 110, E)},
    111: {"killed": (None, None, "vague")},
    115: {"killed": (3, 3, E), "wounded": (None, None, "vague"), "generic": "unknown"},
    117: {"killed": None, "claims": {("jnim", "killed"): (None, None)}},
    124: {"killed": (40, None, "at_least"), "wounded": (42, 42, E), "country": "Burkina Faso"},
    126: {"kidnapped": (40, 40, E)},
    138: {"killed": None, "perps": {"cma": "attributed"},
          "claims": {("cma", "killed"): (97, 97), ("fama", "killed"): (10, 10),
                     ("fama", "attackers_killed"): (47, 47)}},
    140: {"killed": (64, 64, E), "perps": {"jnim": "attributed"}},
    149: {"killed": (17, None, "at_least"), "wounded": (None, None, "vague"),
          "perps": {"is-sahel": "attributed"}},
    150: {"killed": (1, 1, E), "wounded": (8, 8, E)},
    161: {"killed": (13, 13, E), "perps": {"jnim": "attributed"}},
    164: {"killed": (4, None, "at_least")},
    171: {"killed": (5, 5, E), "wounded": (3, 3, E), "attackers_killed": (15, 15, E),
          "perps": {"jnim": "claimed"}},
    173: {"killed": (14, 14, E), "wounded": (11, 11, E), "perps": {"jnim": "claimed"},
          "claims": {("fama", "attackers_killed"): (31, 31)}},
    179: {"killed": (7, None, "at_least"), "perps": {"jnim": "claimed"}},
    181: {"date": ("2022-12-16", None), "killed": (2, 2, E), "wounded": (4, 4, E)},
    184: {"killed": (100, None, "at_least")},
    194: {"date": (None, None), "precision": "unknown", "killed": (9, 9, E),
          "wounded": (8, 8, E)},
    199: {"killed": (10, 10, E), "wounded": (None, None, "vague"),
          "perps": {"katiba-macina": "attributed"}},
    202: {"killed": (45, None, "more_than"), "perps": {"is-sahel": "attributed"}},
    206: {"killed": (18, 18, E), "wounded": (25, 25, E)},
    208: {"date": ("2022-07-22", None), "killed": (1, 1, E), "wounded": (6, 6, E),
          "sources": ["Reuters"], "perps": {"katiba-macina": "attributed"}},
    209: {"date": ("2022-07-14", None), "killed": (6, 6, E), "wounded": (2, 2, E),
          "sources": ["Al Jazeera"], "place": "Zantiguila"},
    212: {"date": ("2022-07-05", None), "killed": (2, 2, E), "wounded": (5, 5, E)},
    229: {"date": ("2022-03-27", "2022-03-31"), "killed": (500, None, "more_than"),
          "perps": {"wagner": "attributed"}},
    234: {"killed": (4, 4, E), "wounded": (12, 12, "approximately")},
    243: {"killed": (2, 2, E), "wounded": (3, 3, E)},
    247: {"kidnapped": (5, 5, E), "sources": ["Defense Post"]},
    259: {"killed": (51, None, "more_than"), "sources": ["Guardian", "France 24"]},
    266: {"kidnapped": (1, 1, E), "perps": {"jnim": "attributed"}},
    271: {"killed": (9, 9, E)},
    281: {"killed": (3, 3, E), "perps": {"jnim": "claimed"},
          "sources": ["Deutsche Welle", "Defense Post"]},
    286: {"killed": (0, 0, E), "wounded": (0, 0, E)},
    304: {"killed": (40, None, "more_than")},
    306: {"date": ("2020-06-15", None), "killed": (24, None, "more_than"),
          "sources": ["SOFREP"]},
    311: {"date": ("2020-06-13", None), "killed": (24, None, "at_least")},
    317: {"date": (None, None), "type": "vehicle_bomb", "perps": {"isis": "attributed"}},
    343: {"date": ("2019-11-26", "2019-11-28"), "killed": (13, 13, E)},
    351: {"killed": (25, None, "at_least"), "perps": {"ansarul-islam": "attributed"}},
    352: {"killed": (38, None, "at_least"), "perps": {"jnim": "attributed"}},
    353: {"killed": (14, None, "at_least"), "wounded": (24, 24, E), "perps": {"jnim": "claimed"}},
    358: {"killed": (41, None, "at_least")},
    369: {"date": ("2019-06-09", "2019-06-10"), "killed": (95, None, "at_least"),
          "wounded": (38, 38, E)},
    371: {"killed": (157, None, "at_least"), "wounded": (73, None, "at_least")},
    387: {"killed": (3, 3, E), "wounded": (30, 30, E), "perps": {"jnim": "claimed"}},
    389: {"killed": (8, 8, E)},
    412: {"date": ("2017-01-18", None), "killed": (47, 47, E),
          "wounded": (100, None, "more_than"), "perps": {"al-mourabitoun": "claimed"}},
    419: {"killed": (17, 17, E), "perps": {"aqim": "suspected", "katiba-macina": "suspected"}},
    429: {"attackers_killed": (1, 1, E), "perps": {"aqim": "suspected", "amb": "suspected"}},
    435: {"killed": (20, 20, E), "kidnapped": (None, 170, "up_to"),
          "perps": {"al-mourabitoun": "claimed"}},
    442: {"killed": (4, 4, E), "wounded": (9, 9, E)},
    473: {"date": ("2013-01-16", "2013-01-19"), "killed": (40, 40, E),
          "attackers_killed": (29, 29, E), "kidnapped": (100, None, "more_than"),
          "perps": {"amb": "attributed"}, "country": "Algeria"},
    478: {"date": (None, None), "precision": "unknown", "sources": ["Atlantic"]},
    479: {"date": (None, None), "kidnapped": (7, 7, E), "perps": {"mujao": "attributed"}},
    483: {"date": (None, None), "killed": (82, 82, E), "kidnapped": (30, 30, E),
          "perps": {"ansar-dine": "attributed"}},
    487: {"killed": (None, 100, "up_to"), "perps": {"aqim": "suspected", "mnla": "suspected"}},
    497: {"date": (None, None), "kidnapped": (3, 3, E)},
    505: {"date": (None, None), "killed": (1, 1, E)},
    507: {"date": ("2008-10-31", None), "sources": ["U.S. Department of State"]},
}  # fmt: skip


def _by_line(parsed: ParsedEdition) -> dict[int, Entry]:
    """Each entry's primary part (the cases below read the entry's first event)."""
    return {e.line: e for e in parsed.entries if e.part == 0}


def _count(c: Count) -> tuple[int | None, int | None, str] | None:
    return None if c.qualifier is None else (c.min, c.max, c.qualifier)


def test_seed_has_exactly_the_186_timeline_entries(seed: ParsedEdition) -> None:
    primaries = [e for e in seed.entries if e.part == 0]
    assert len(primaries) == 186
    assert len({e.line for e in primaries}) == 186


def test_seed_report_reads_as_mali_with_latest_date(seed: ParsedEdition) -> None:
    assert seed.country == "Mali"
    assert seed.edition_date == "2024-11-08"


def test_seed_opening_summary_is_an_untitled_section(seed: ParsedEdition) -> None:
    headings = [s.heading for s in seed.sections]
    assert headings[0] is None
    assert "Overview" in headings and "Recruitment" in headings
    assert "Major Extremist and Terrorist Incidents" in headings
    assert "Domestic Counter-Extremism" in headings


def test_seed_paragraph_cut_by_a_page_break_is_joined(seed: ParsedEdition) -> None:
    overview = next(s for s in seed.sections if s.heading == "Overview")
    assert any("extensive military assistance from the United Nations" in p
               for p in overview.paragraphs)  # fmt: skip


@pytest.mark.parametrize("line", sorted(CASES))
def test_seed_entry_reads_as_annotated(seed: ParsedEdition, line: int) -> None:
    entry = _by_line(seed).get(line)
    assert entry is not None, f"no entry starts on line {line}"
    want = CASES[line]
    if "date" in want:
        assert (entry.date_start, entry.date_end) == want["date"]
    if "precision" in want:
        assert entry.date_precision == want["precision"]
    for kind in ("killed", "wounded", "kidnapped", "attackers_killed"):
        if kind in want:
            assert _count(getattr(entry, kind)) == want[kind], kind
    if "perps" in want:
        got = {p.actor_id: p.status for p in entry.perpetrators if p.actor_id}
        for actor, status in want["perps"].items():
            assert got.get(actor) == status, (actor, got)
    if "generic" in want:
        assert any(p.actor is None and p.status == want["generic"] for p in entry.perpetrators)
    if "claims" in want:
        seen = {}
        for c in entry.claims:
            ref = next((p.actor_id for p in entry.perpetrators if p.actor == c.claimant), None)
            seen[(ref or _claimant_id(c.claimant), c.about)] = (c.min, c.max)
        for key, value in want["claims"].items():
            assert seen.get(key) == value, (key, seen)
    if "sources" in want:
        assert list(entry.sources) == want["sources"]
    if "type" in want:
        assert entry.event_type == want["type"]
    if "country" in want:
        assert entry.country == want["country"]
    if "place" in want:
        assert want["place"] in [loc.name for loc in entry.locations]


def _claimant_id(name: str) -> str:
    from tests.ingestion.conftest import seed_lexicon

    ref = seed_lexicon().resolve(name)
    return ref.actor_id if ref else name


def test_seed_dates_are_read_for_every_dated_entry(seed: ParsedEdition) -> None:
    undated = [e.line for e in seed.entries if e.date_start is None and e.part == 0]
    assert undated == [194, 317, 478, 479, 483, 497, 505]


def test_seed_entries_all_have_sources(seed: ParsedEdition) -> None:
    missing = [e.line for e in seed.entries if not e.sources]
    assert missing == []
