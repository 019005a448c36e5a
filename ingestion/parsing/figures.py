"""Casualty figures in one clause: who was killed, wounded, taken, and attackers killed.

`find_mentions` reads every figure a clause states; `combine` turns an entry's mentions into
one count per kind (parts of a list are summed, the weakest qualifier wins).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from .model import Count
from .numbers import NUM, Quantity, read_quantity
from .text import contains_any, matches_at

KINDS = ("killed", "wounded", "kidnapped", "attackers_killed")

_ATTACKER = re.compile(
    r"\b(?:militants?|attackers?|assailants?|jihadists?|insurgents?|terrorists?|islamists?|"
    r"gunm[ae]n|extremists?|of the attackers|of them|(?:ISIS|IS Sahel|jihadist|al-Qaeda) fighters)\b",  # noqa: E501
    re.I,
)
_NOT_PEOPLE = re.compile(
    r"^(?:buses|vehicles?|trucks?|cars?|villages?|bases?|camps?|days?|hours?|years?|months?|"
    r"weeks?|percent|km|kilomet\w+|miles?|times|attacks?|bridges?|airports?|helicopters?|"
    r"posts?|million|billion|of whom|of them|members? of the group|houses?|homes?)\b",
    re.I,
)
_PERSON = re.compile(
    r"\b(?:soldiers?|officers?|peacekeepers?|civilians?|person|people|man|men|woman|women|"
    r"child(?:ren)?|guards?|gendarmes?|policem[ae]n|member|journalists?|workers?|officials?|"
    r"chief|drivers?|citizens?|tourists?|hostages?|wife|husband|other|villagers?|leader|"
    r"commander|observer|paramedic|missionary|national|diplomats?|minister|mayor|"
    r"attacker|militant|fighter|inmate|nationals?|frenchman|belgian)\b",
    re.I,
)
# "three of them", "two of the attackers": a part of a group of people, not of a thing.
_GROUP_OF = re.compile(
    rf"of them\b|of the (?:\w+\s+)?(?:{_ATTACKER.pattern}|{_PERSON.pattern})", re.I
)
_SEP = re.compile(r"\s*(?:,\s*(?:and\s+)?|\s+and\s+|\s+along with\s+|\s+as well as\s+)", re.I)
# The first look-ahead only lists the characters every stop of the second starts with: the
# lazy scan then tries the long alternation at those few places, not after every letter.
_NOUN = re.compile(r"[^,;:()—\u2013\"]{0,70}?(?=[,;:(—\u2013\"\s.]|$)"
                   r"(?=,|;|:|\(|—|\u2013|\"|\s+and\s|\s+while\s|\s+along with\s|"
                   r"\s+including\b|\s+before\b|\s+during\b|\s+when\b|\s+after\b|\s+as\s|"
                   r"\s+who\b|\s+in\s+(?:the|an?)\s+(?:attack|ambush|explosion|raid)|"
                   r"\.\s|\.$|$)", re.I)  # fmt: skip


# "kills Assimi Goita's chief of staff", "kidnap French citizen Pierre Camatte": one person.
_ONE_PERSON = re.compile(
    r"^(?:the\s+)?(?:[A-Z][\w'.-]*\s+){0,3}?(?:[\w']+\s+)?(?:chief|officer|leader|commander|"
    r"citizen|journalist|worker|observer|paramedic|tourist|missionary|hostage|official|guard)\b"
)
# "civilians", "the Malian drivers": some people, how many unsaid (a list with them is open).
_SOME_PEOPLE = re.compile(
    r"^(?:(?:the\s+)?[A-Z][\w-]+\s+(?=(?:drivers|passengers|workers|guards)\b))?"
    r"(?:civilians|soldiers|villagers|people|peacekeepers|militants|drivers|passengers|"
    r"workers|guards)\b",
    re.I,
)
_NAMED_PERSON = re.compile(r"^(?:Dr\.?|Mr\.?|Mrs\.?)?\s*[A-Z][a-z]+\s+[A-Z]")
_WORD = re.compile(r"\S+")
_HEAD_SPLIT = re.compile(r"\s+(?:while|whereas|where)\s+|(?<![A-Z])\.\s+")
_BETWEEN = re.compile(r"\bbetween\s+\S+\s+and\s+[^,;]*$", re.I)
_RELATIVE = re.compile(r"^(?:who|which|whom)\b", re.I)


def _lc(pattern: str) -> re.Pattern[str]:
    """Compile a pattern meant for lowercased text (faster than re.IGNORECASE)."""
    return re.compile(re.sub(r"\\.|[A-Z]", lambda m: m.group(0) if m.group(0).startswith("\\")
                             else m.group(0).lower(), pattern))  # fmt: skip


_VERBS: dict[str, re.Pattern[str]] = {
    "killed": _lc(
        r"\b(?:kill(?:s|ed|ing)?|massacr(?:e|es|ed|ing)|neutrali[sz](?:e|es|ed|ing)|"
        r"claim(?:s|ed|ing)? the lives of|(?:the )?deaths? of|execut(?:e|es|ed|ing)|"
        r"murder(?:s|ed|ing)?(?: of)?|assassinat(?:e|es|ed|ing)|assassination of|"
        r"(?:death|casualty) toll (?:at|of|to|is|was|stands at|stood at|rises to|rose to|"
        r"reaches|reached))\s+"
    ),
    "wounded": _lc(r"\b(?:wound(?:s|ed|ing)?|injur(?:e|es|ed|ing)|hurt(?:s|ing)?)\s+"),
    "kidnapped": _lc(
        r"\b(?:kidnap(?:s|ped)?|kidnapping(?: of)?|abduct(?:s|ed|ing)?|abduction of|captur(?:e|es|ing)|"  # noqa: E501
        r"(?:take|takes|took|taking|hold|holds|holding)(?=\s+(?:\S+\s+){0,4}?"
        r"(?:hostages|civilians|people|captives)))\s+"
    ),
}
# Each opens with `\s\s*`, which matches what `\s+` would: a pattern that starts with a
# character class lets the engine skip to the spaces instead of trying it at every position.
_PASSIVE: dict[str, re.Pattern[str]] = {
    "killed": _lc(
        r"\s\s*(?:(?:are|were|is|was|have been|has been|had been)\s+(?:reportedly\s+|also\s+|"
        r"reported\s+|believed\s+)?(?:killed|massacred|dead|neutrali[sz]ed|executed)|died|die|dies)\b"
    ),
    "wounded": _lc(
        r"\s\s*(?:(?:are|were|is|was|have been|has been)\s+(?:reportedly\s+|also\s+)?"
        r"(?:wounded|injured|hurt)|sustain(?:s|ed)? injuries)\b"
    ),
    "kidnapped": _lc(
        r"\s\s*(?:are|were|is|was|have been|has been)\s+(?:reportedly\s+)?(?:kidnapped|abducted|"
        r"taken hostage)\b"
    ),
}
# Words every match of the patterns above starts with (`_VERB_WORDS`: the verbs are matched
# only where one starts a word) or contains (`_PASSIVE_WORDS`: a cheap test before the scan).
_VERB_WORDS = {
    "killed": (
        *("kill", "massacr", "neutrali", "claim", "the death", "death", "execut", "murder"),
        *("assassin", "casualty toll"),
    ),
    "wounded": ("wound", "injur", "hurt"),
    "kidnapped": ("kidnap", "abduct", "captur", "tak", "took", "hold"),
}
_PASSIVE_WORDS = {  # the participles themselves: "kills" or "kidnap" needs no passive scan
    "killed": ("killed", "massacred", "dead", "neutrali", "executed", "die"),
    "wounded": ("wounded", "injur", "hurt"),
    "kidnapped": ("kidnapped", "abducted", "taken hostage"),
}
_LEAVE = re.compile(
    r"\bleav(?:e|es|ing)\s+(?P<dead>(?:[^.;]|(?<=[A-Z])\.){1,80}?)\s+dead\b"
    r"(?:\s+and\s+(?P<hurt>(?:[^.;]|(?<=[A-Z])\.){1,60}?)\s+(?:wounded|injured))?",
    re.I,
)
# "one is killed and nine others hurt": the auxiliary is left out after "N others".
_OTHERS_HURT = re.compile(rf"\band\s+(?P<n>{NUM})\s+others\s+(?:wounded|injured|hurt)\b", re.I)
_LEFT_HURT = re.compile(
    r"\b(?:left|leav(?:e|es|ing))\s+(?P<hurt>(?:[^.;]|(?<=[A-Z])\.){1,60}?)\s+(?:wounded|injured)\b",
    re.I,
)
_NONE = re.compile(
    r"\b(?:no casualties|without (?:any )?casualties|not result in any casualties|"
    r"no one (?:was|is) (?:killed|hurt|injured))\b",
    re.I,
)
_LEAD = re.compile(
    r"^(?:(?:but|and|while|where|when|with|reportedly|also|the|then|however|including|"
    r"another)\s+)+",
    re.I,
)


@dataclass(frozen=True)
class Mention:
    kind: str
    min: int | None
    max: int | None
    qualifier: str
    text: str
    start: int


# Stems one of which any figure needs, looked for in the lowercased text.
_TRIGGERS = (
    *("kill", "dead", "die", "death", "lives", "wound", "injur", "hurt", "kidnap", "abduct"),
    *("hostage", "captur", "captive", "murder", "execut", "massacr", "neutrali", "casualt"),
    *("assassin", "took", "take", "taking", "hold"),
)


def has_figure_words(text: str) -> bool:
    """Whether `text` has a word any figure needs ("kill", "wound", "hostage", ...)."""
    return contains_any(text.lower(), _TRIGGERS)


def find_mentions(clause: str) -> list[Mention]:
    lowered = clause.lower()
    if not contains_any(lowered, _TRIGGERS):
        return []
    found: list[Mention] = []
    if ("casualt" in lowered or "no one" in lowered) and _NONE.search(clause):
        m = _NONE.search(clause)
        assert m is not None
        found.append(Mention("killed", 0, 0, "exact", m.group(0), m.start()))
        found.append(Mention("wounded", 0, 0, "exact", m.group(0), m.start()))
    for match in _OTHERS_HURT.finditer(clause) if " others " in lowered else ():
        found.extend(_list_after("wounded", clause, match.start("n"), match.start(), limit=1))
    for match in _LEFT_HURT.finditer(clause) if "left" in lowered or "leav" in lowered else ():
        if " dead" not in match.group("hurt"):
            found.extend(_list_after("wounded", clause, match.start("hurt"), match.start(), 1))
    for match in _LEAVE.finditer(clause) if "leav" in lowered else ():
        found.extend(_list_after("killed", clause, match.start("dead"), match.start(), limit=1))
        if match["hurt"]:
            found.extend(_list_after("wounded", clause, match.start("hurt"), match.start(), 1))
    if len(lowered) != len(clause):
        lowered = clause
    for kind, verb in _VERBS.items():
        for match in matches_at(verb, lowered, lowered, _VERB_WORDS[kind]):
            found.extend(_list_after(kind, clause, match.end(), match.start()))
    for kind, passive in _PASSIVE.items():
        if contains_any(lowered, _PASSIVE_WORDS[kind]):
            for match in passive.finditer(lowered):
                found.extend(_list_before(kind, clause, match.start(), match.end()))
    found = _dedupe(found)
    return found


def _dedupe(mentions: list[Mention]) -> list[Mention]:
    if len(mentions) < 2:  # most clauses state one figure: nothing to sort or drop
        return mentions
    out: list[Mention] = []
    seen: set[tuple[str, int]] = set()
    for m in sorted(mentions, key=lambda m: m.start):
        if (m.kind, m.start) in seen:
            continue
        seen.add((m.kind, m.start))
        out.append(m)
    return out


def _item(text: str, pos: int, qty: Quantity | None = None) -> tuple[Quantity | None, str, int]:
    """A quantity and the noun after it, from `pos`: (quantity, noun, end). `qty` is the
    quantity at `pos` when the caller has already read it."""
    if qty is None:
        qty = read_quantity(text, pos)
    if qty is None:
        noun_m = _NOUN.match(text, pos)
        if noun_m is None:  # a long name with no stop in sight: read its first words
            return None, text[pos : pos + 70].strip(), pos
        return None, noun_m.group(0).strip(), noun_m.end()
    noun_m = _NOUN.match(text, qty.end)
    noun = noun_m.group(0).strip() if noun_m else ""
    return qty, noun, noun_m.end() if noun_m else qty.end


# Words one of which every `_ATTACKER` match holds, in lower case: a few substring tests spare
# most nouns the search. Only in ASCII text: ignoring case, the pattern also takes a few other
# letters ("\u017f" for "s", the Kelvin sign for "k").
_ATTACKER_WORDS = (
    *("militant", "gunm", "assailant", "attacker", "jihadist", "insurgent", "terrorist"),
    *("islamist", "extremist", "of them", "fighters"),
)


def _kind_for(kind: str, noun: str) -> str:
    if kind != "killed":
        return kind
    lowered = noun.lower()
    if noun.isascii() and not contains_any(lowered, _ATTACKER_WORDS):
        return kind
    if _ATTACKER.search(noun) and "wagner" not in lowered:
        return "attackers_killed"
    return kind


def _accept(qty: Quantity | None, noun: str, kind: str) -> Quantity | None:
    first = noun.split(" ", 1)[0].lower() if noun else ""
    if qty is None:
        # "kills Assimi Goita's chief of staff", "kidnap French citizen Pierre Camatte"
        if kind != "wounded" and _ONE_PERSON.match(noun):
            return Quantity(1, 1, "exact", 0)
        if kind in ("killed", "kidnapped") and _SOME_PEOPLE.match(noun):
            return Quantity(None, None, "vague", 0)
        if kind == "kidnapped" and _NAMED_PERSON.match(noun):
            return Quantity(1, 1, "exact", 0)
        return None
    if qty.qualifier == "vague" and not _NOT_PEOPLE.match(noun.removeprefix("of ")):
        return qty
    if first == "of" and not _GROUP_OF.match(noun):
        return None  # "one of the largest tolls", "two of its vehicles"
    if _NOT_PEOPLE.match(noun) and not _PERSON.search(" ".join(noun.split()[:2])):
        return None
    if qty.single and not (_PERSON.search(" ".join(noun.split(",")[0].split()[:3])) or noun == ""):
        return None
    return qty


def _list_after(kind: str, text: str, pos: int, verb_at: int, limit: int = 6) -> list[Mention]:
    parts: list[tuple[Quantity, str]] = []
    end = pos
    nxt: Quantity | None = None  # the next item's quantity, read when looking for it
    for _ in range(limit):
        qty, noun, stop = _item(text, pos, nxt)
        accepted = _accept(qty, noun, kind)
        if accepted is None:
            break
        parts.append((accepted, noun))
        end = stop
        if accepted.qualifier == "vague" or (qty is None and text[stop : stop + 1] == ","):
            break
        # "at least 17—14 in one village and three in another": after the dash, a breakdown.
        if stop < len(text) and text[stop] in "—\u2013(:":
            break
        sep = _SEP.match(text, stop)
        if not sep:
            break
        nxt = read_quantity(text, sep.end())
        if nxt is None:
            break
        pos = sep.end()
    return _mentions_from(kind, parts, text[verb_at:end], verb_at)


def _tail_item(chunk: str, kind: str) -> tuple[Quantity, str] | None:
    """The quantity and noun that end `chunk` ("the army claims 10 soldiers" -> 10 soldiers).

    The rightmost quantity wins; a qualifier just before it ("at least") is kept.
    """
    starts = [m.start() for m in _WORD.finditer(chunk)][-12:]
    best: tuple[int, Quantity, str] | None = None
    for at in reversed(starts):
        qty = read_quantity(chunk, at)
        if qty is None:
            if best is not None and at < best[0] - 30:
                break
            continue
        noun = chunk[qty.end :].strip()
        if best is not None:
            if (
                best[1].qualifier == "vague"
                and qty.qualifier != "vague"
                and not chunk[qty.end : best[0]].strip()
            ):
                accepted = _accept(qty, chunk[qty.end :].strip(), kind)
                if accepted is not None:
                    best = (at, accepted, chunk[qty.end :].strip())
                continue
            if qty.end == best[1].end and qty.qualifier != best[1].qualifier:
                accepted = _accept(qty, noun, kind)
                if accepted is not None:
                    best = (at, accepted, noun)
            continue
        if len(noun.split()) > 8 or _VERBISH.search(noun):
            continue
        accepted = _accept(qty, noun, kind)
        if accepted is not None:
            best = (at, accepted, noun)
    return (best[1], best[2]) if best else None


_VERBISH = re.compile(r"\b(?:are|were|is|was|has|have|had|kills?|killed|claims?|says)\b", re.I)


def _list_before(kind: str, text: str, marker: int, marker_end: int) -> list[Mention]:
    head = text[max(0, marker - 160) : marker]
    head = _HEAD_SPLIT.split(head)[-1].rstrip(" ,")
    pieces = list(_SEP.split(head))
    between = _BETWEEN.search(head) if "between" in head.lower() else None
    if between:
        qty = read_quantity(head, between.start())
        if qty is not None and qty.qualifier == "range":
            start = marker - len(head) + between.start()
            return _mentions_from(
                kind, [(qty, head[qty.end :].strip())], text[start:marker_end], start
            )
    parts: list[tuple[Quantity, str]] = []
    first_piece = len(pieces)
    for index in range(len(pieces) - 1, -1, -1):
        piece = pieces[index]
        chunk = _LEAD.sub("", piece.strip())
        if not parts and _RELATIVE.match(chunk):
            continue
        if chunk.lower() in ("another", "one other"):
            parts.append((Quantity(1, 1, "exact", 0), ""))
            first_piece = index
            break
        item = _tail_item(chunk, kind)
        if item is None:
            accepted = _accept(None, chunk, kind)
            if accepted is not None and accepted.qualifier != "vague" and len(chunk.split()) <= 8:
                parts.append((accepted, chunk))
                first_piece = index
                continue
            if not parts and re.match(r"^(?:others|many others|several others)$", chunk, re.I):
                parts.append((Quantity(None, None, "vague", 0), chunk))
                first_piece = index
            elif parts and accepted is not None and len(chunk.split()) <= 4:
                # "the drivers and a staff member are killed": at least the one counted
                parts.append((accepted, chunk))
                first_piece = index
            break
        parts.append(item)
        first_piece = index
        if not chunk.startswith(item[1]) and read_quantity(chunk, 0) is None:
            break  # the item began inside this piece: nothing before it belongs to the list
    parts.reverse()
    start = marker - len(head)
    if parts and first_piece < len(pieces):
        found = head.rfind(pieces[first_piece])
        start += max(found, 0)
    return _mentions_from(kind, parts, text[max(0, start) : marker_end], max(0, start))


def _mentions_from(
    kind: str, parts: list[tuple[Quantity, str]], phrase: str, start: int
) -> list[Mention]:
    if not parts:
        return []
    by_kind: dict[str, list[Quantity]] = {}
    for qty, noun in parts:
        by_kind.setdefault(_kind_for(kind, noun), []).append(qty)
    out = []
    for k, qtys in by_kind.items():
        count = combine_quantities(qtys)
        out.append(
            Mention(k, count.min, count.max, count.qualifier or "vague", phrase.strip(), start)
        )
    return out


_RANK = {"exact": 0, "approximately": 1, "range": 2, "up_to": 3, "at_least": 4, "more_than": 5}


def combine_quantities(qtys: Iterable[Quantity | Count | Mention]) -> Count:
    """Sum parts of one figure; the least precise qualifier wins; vague parts are ignored."""
    qtys = list(qtys)
    if len(qtys) == 1:  # the usual case: what the general path below gives for one part
        (q,) = qtys
        if q.qualifier == "vague":
            return Count(None, None, "vague", None)
        return Count(q.min, q.max, q.qualifier or "exact", None)
    numeric = [q for q in qtys if q.qualifier != "vague"]
    if not numeric:
        return Count(None, None, "vague", None)
    if len(numeric) < len(qtys):  # "nine soldiers and several civilians": at least nine
        total = combine_quantities(numeric)
        low = total.min if total.min is not None else total.max
        return Count(low, None, "at_least" if total.qualifier != "more_than" else "more_than", None)
    lo = [q.min for q in numeric]
    hi = [q.max for q in numeric]
    qual = max((q.qualifier or "exact" for q in numeric), key=lambda s: _RANK.get(s, 0))
    total_lo = sum(v for v in lo if v is not None) if any(v is not None for v in lo) else None
    total_hi = sum(v for v in hi if v is not None) if all(v is not None for v in hi) else None
    if qual in ("at_least", "more_than"):
        total_hi = None
    if qual == "up_to":
        total_lo = None
    if len(numeric) == 1:
        return Count(numeric[0].min, numeric[0].max, qual, None)
    return Count(total_lo, total_hi, qual, None)
