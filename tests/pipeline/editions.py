"""Builds report editions for ingestion tests: our own invented entries, laid out like the real
reports (an untitled summary, narrative sections, a reverse-chronological timeline), with knobs
for the edits and the extraction damage later editions bring."""

from __future__ import annotations

import textwrap
from collections.abc import Sequence
from dataclasses import dataclass, replace

TITLE = "Mali: Extremism and Terrorism"


@dataclass(frozen=True)
class Item:
    date: str  # as written, e.g. "June 3, 2024" or "" for undated
    body: str
    sources: str = "Sources: Sahel Wire, Desert Dispatch"


ENTRIES: tuple[Item, ...] = (
    Item(
        "September 9, 2024",
        "JNIM fighters storm a gendarmerie post in Kati, killing 14 gendarmes and wounding nine others. JNIM claims responsibility the next day.",
    ),
    Item(
        "August 2, 2024",
        "Suspected jihadists attack a cattle market near Douentza, central Mali, killing at least 31 civilians.",
    ),
    Item(
        "July 14, 2024",
        "Gunmen kidnap five road workers near Niono. No group claims responsibility.",
    ),
    Item(
        "June 21, 2024",
        "An improvised explosive device strikes a U.N. convoy outside Tessalit, killing two peacekeepers and injuring six.",
    ),
    Item(
        "May 30, 2024",
        "IS Sahel militants raid the village of Ouatagouna, killing 22 villagers and burning granaries.",
    ),
    Item(
        "April 18, 2024",
        "Malian soldiers and Wagner fighters clash with separatist rebels near Anefis. The rebels say they killed 40 soldiers; the army says it lost six men and neutralized 25 attackers.",
    ),
    Item(
        "March 5, 2024",
        "A suicide bomber drives a vehicle packed with explosives into an army camp in Boni, killing 11 soldiers.",
    ),
    Item(
        "February 11, 2024",
        "Militants believed to belong to Katiba Macina ambush a bus between Bandiagara and Goundaka, killing 17 passengers.",
    ),
    Item("January 22, 2024", "Unidentified gunmen shoot dead the mayor of Dioura in his home."),
    Item(
        "December 7, 2023",
        "Mortar rounds land inside the airport perimeter in Gao; no casualties are reported.",
    ),
)
SUMMARY = (
    "In the first half of 2024 the insurgency in central and northern Mali kept displacing families; aid groups counted about 400,000 people forced from home.",
)
SECTIONS = (
    (
        "Overview",
        (
            "Armed groups linked to al-Qaeda and to the Islamic State compete for territory across the Sahel, and civilians bear most of the violence.",
        ),
    ),
    (
        "Domestic Counter-Extremism",
        (
            "The transitional government relies on foreign partners for air support and has expanded local self-defense militias.",
        ),
    ),
)


def render(
    entries: Sequence[Item] = ENTRIES,
    *,
    summary: Sequence[str] = SUMMARY,
    sections: Sequence[tuple[str, Sequence[str]]] = SECTIONS,
    bullet: str = "- ",
    width: int | None = None,
    page_break_every: int | None = None,
) -> str:
    """An edition's text. `width` re-wraps entries; `page_break_every` breaks every n-th entry
    in the middle with an empty line, as PDF extraction does at a page break."""
    lines = [TITLE, ""]
    for paragraph in summary:
        lines += [paragraph, ""]
    for heading, paragraphs in sections:
        lines += [heading, ""]
        for paragraph in paragraphs:
            lines += [paragraph, ""]
    lines += ["Major Extremist and Terrorist Incidents", ""]
    for n, item in enumerate(entries, 1):
        head = f"{item.date}: {item.body}" if item.date else item.body
        text = f"{bullet}{head} {item.sources}"
        wrapped = textwrap.wrap(text, width=width) if width else [text]
        if page_break_every and n % page_break_every == 0:
            words = text.split(" ")
            half = len(words) // 2
            wrapped = [" ".join(words[:half]), "", " " + " ".join(words[half:])]
        lines += wrapped
    return "\n".join(lines) + "\n"


def edit(entries: Sequence[Item], index: int, **changes: str) -> list[Item]:
    out = list(entries)
    out[index] = replace(out[index], **changes)
    return out
