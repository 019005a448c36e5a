"""Figures a named party states (the army, a group, a U.N. report), kept apart from the report's
own voice, and claims of responsibility.

Every figure has an owner. What the report says in its own voice is the incident's figure. What
a party to the fighting says ("the army says it killed 20 militants", "according to the
government, ...", "JNIM claims to have killed 50") is that party's claim and never the report's
figure. An estimate by a neutral body ("a U.N. estimate puts the toll at around 400", "according
to Human Rights Watch, ...") is both: the report adopts it as its figure, and it stays a claim
with its claimant."""

from __future__ import annotations

import re
from dataclasses import dataclass

from .figures import Mention, find_mentions, has_figure_words
from .lexicon import ActorLexicon
from .model import Claim, Perpetrator
from .text import clauses, contains_any

_ACCORDING = re.compile(
    r"\baccording to (?P<c>[^,;]{2,80}?)(?:,|(?<!\bU\.N)(?<!\bU\.S)\.(?:\s|$)|$)", re.I
)
_SAYS = re.compile(
    r"(?:^|,\s+)(?:(?:although|but|while|and|as|however|whereas),?\s+)?"
    r"(?P<c>(?:\b(?:[Tt]he|[Aa]n?)\s+[A-Za-z]|[A-Z])(?:[^,.;:\"]|(?<=\b[A-Z])\.){1,110}?)\s+"
    r"(?:later\s+)?"
    r"(?:claims?|claimed|say|says|"
    r"said|states?|stated|reports?|reported|alleges?|alleged|asserts?|announces?|"
    r"estimates?|estimated|puts?|put|counts?|counted|records?|recorded|"
    r"releases? a statement claiming)\b"
    r"(?!\s+(?:responsibility|credit|the (?:attack|raid)|the lives\b|lives\b))",
)


# Words one of which `_SAYS` needs: a few substring tests spare most clauses the pattern. They
# may let through more than `_SAYS` takes ("country" holds " count"), never less: the verb may
# end the clause or stand before a comma ("the army counts, 12 dead"), so no space after it.
# Substring tests, not one alternation: the engine would try the alternation at every position.
_SAYS_WORDS = (
    *("said", "say", "claim", "report", "state", "estimat", "allege", "assert", "announce"),
    *(" put", " count", " record"),
)
_NOT_A_CLAIMANT = re.compile(r"\d|\b(?:are|were|is|was|been)\b")
# Bodies that are no party to the fighting: their estimate is also the report's own figure.
_NEUTRAL = re.compile(
    r"\b(?:U\.N\.?|UN|United Nations|MINUSMA|OCHA|UNHCR|UNICEF|Human Rights Watch|HRW|"
    r"Amnesty(?: International)?|ACLED|Armed Conflict Location|International Crisis Group|"
    r"Red Cross|ICRC|Doctors Without Borders|MSF|Médecins Sans Frontières|"
    r"(?:independent|rights|human rights|humanitarian|aid) (?:group|groups|monitors?|"
    r"organi[sz]ations?|agency|agencies|experts?)|(?:the )?Security Council)\b"
)


@dataclass(frozen=True)
class Voiced:
    claimant: str | None  # None: the report's own voice
    text: str
    mentions: tuple[Mention, ...]
    neutral: bool = False  # a neutral body's estimate: a claim, and the report's figure too
    claimant_id: str | None = None  # the registry's actor, when it knows the claimant


def voice_of(clause: str, lexicon: ActorLexicon) -> Voiced:
    mentions = tuple(find_mentions(clause))
    if not mentions:
        return Voiced(None, clause, ())
    lowered = clause.lower()
    m = _ACCORDING.search(clause) if "according to" in lowered else None
    if m:
        return _voiced(m["c"], clause, mentions, lexicon)
    m = says_match(clause) if contains_any(lowered, _SAYS_WORDS) else None
    if (
        m
        and m.end() <= min(x.start + len(x.text) for x in mentions)
        and not _NOT_A_CLAIMANT.search(m["c"])
    ):
        return _voiced(m["c"], clause, mentions, lexicon)
    return Voiced(None, clause, mentions)


def says_match(clause: str) -> re.Match[str] | None:
    """`_SAYS.search(clause)`, tried only where a match can start: the clause's start or a
    comma (the pattern opens with `^` or `,`). The engine would otherwise try every position."""
    m = _SAYS.match(clause)
    at = clause.find(",", 1)
    while m is None and at != -1:
        m = _SAYS.match(clause, at)
        at = clause.find(",", at + 1)
    return m


def _voiced(
    phrase: str, clause: str, mentions: tuple[Mention, ...], lexicon: ActorLexicon
) -> Voiced:
    neutral = _NEUTRAL.search(phrase) is not None
    name, actor_id = _claimant(phrase, lexicon)
    return Voiced(name, clause, mentions, neutral, actor_id)


def voiced_clauses(sentence: str, lexicon: ActorLexicon) -> list[Voiced]:
    """The sentence's clauses that state figures, each with its voice."""
    if not has_figure_words(sentence):
        return []  # no clause of it can state a figure
    return [v for v in (voice_of(c, lexicon) for c in clauses(sentence)) if v.mentions]


def _claimant(phrase: str, lexicon: ActorLexicon) -> tuple[str, str | None]:
    """The claimant's name (canonical when the registry knows it) and its actor id."""
    phrase = phrase.strip()
    acronym = re.search(r"\(([A-Z][\w-]{1,12})\)", phrase)
    found = lexicon.find(phrase)
    if found:
        return found[-1].actor.name, found[-1].actor.actor_id
    if acronym:
        return acronym.group(1), None
    phrase = re.sub(r"^(?:the|a|an)\s+", "", phrase, flags=re.I)
    return phrase[:1].upper() + phrase[1:], None


def figure_claims(voiced: list[Voiced]) -> list[Claim]:
    out: list[Claim] = []
    for v in voiced:
        if v.claimant is None:
            continue
        for m in v.mentions:
            out.append(
                Claim(v.claimant, m.kind, m.min, m.max, v.text.strip(), m.qualifier, v.claimant_id)
            )
    return out


# A state's own voice blaming someone, for any country the report is about (the same report
# exists for each Sahel country): "Nigerien authorities blame ...", "The Burkinabe army suspects".
_STATE_ADJECTIVE = (
    r"(?:Malian|Nigerien|Burkinab[eé]|Nigerian|Chadian|Mauritanian|Algerian|Ivorian|Guinean|"
    r"Senegalese|Beninese|Togolese|French)"
)
_STATE_BLAME = re.compile(
    rf"(?P<c>(?:Police|Security officials|(?:The |A )?{_STATE_ADJECTIVE} (?:authorities|"
    r"government|officials|security officials?|army|forces|military)))\s+"
    r"(?:blames?|believes?|suspects?|attributes?|claims?(?=[^.]{0,80}\b(?:responsib|behind)))"
    r"\b[^.]{0,160}"
)


# Every `_STATE_BLAME` match holds one of these verbs and opens with one of these subjects (or
# "The "/"A " before one): the pattern, which no literal prefix lets the engine skip through,
# is then only tried where a subject starts.
_BLAME_VERBS = ("blame", "believe", "suspect", "attribute", "claim")
# Flat alternatives of literals (no group first), so the engine skips to their first letters.
_STATE_BLAMER = re.compile(
    "|".join(
        ["Police", "Security officials"]
        + [f"{a} " for a in _STATE_ADJECTIVE.removeprefix("(?:").removesuffix(")").split("|")]
    )
)


def _state_blames(body: str) -> list[re.Match[str]]:
    """`_STATE_BLAME.finditer(body)`, tried only where a subject starts: at each subject word
    `_STATE_BLAMER` finds, and at a "The " or "A " just before it."""
    if not any(v in body for v in _BLAME_VERBS):
        return []
    starts: set[int] = set()
    for hit in _STATE_BLAMER.finditer(body):
        at = hit.start()
        starts.add(at)
        if at >= 4 and body.startswith("The ", at - 4):
            starts.add(at - 4)
        if at >= 2 and body.startswith("A ", at - 2):
            starts.add(at - 2)
    out: list[re.Match[str]] = []
    end = 0
    for at in sorted(starts):
        m = _STATE_BLAME.match(body, at) if at >= end else None
        if m is not None:
            out.append(m)
            end = m.end()
    return out


def responsibility_claims(body: str, perpetrators: tuple[Perpetrator, ...]) -> list[Claim]:
    out: list[Claim] = []
    for p in perpetrators:
        if p.status != "claimed":
            continue
        where = body.find(p.name)
        snippet = _sentence_around(body, where) if where >= 0 else p.name
        out.append(
            Claim(p.actor or p.name, "responsibility", None, None, snippet, actor_id=p.actor_id)
        )
    for m in _state_blames(body):
        out.append(Claim(m["c"], "responsibility", None, None, m.group(0).strip()))
    return out


def _sentence_around(text: str, at: int) -> str:
    start = text.rfind(". ", 0, at) + 2 if text.rfind(". ", 0, at) >= 0 else 0
    end = text.find(". ", at)
    return text[start : end + 1 if end >= 0 else len(text)].strip()
