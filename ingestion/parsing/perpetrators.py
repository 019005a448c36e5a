"""Who did it, and how sure the report is: claimed, attributed, suspected, denied or unknown."""

from __future__ import annotations

import re
from functools import lru_cache

from .lexicon import ActorLexicon, ActorMention
from .model import Perpetrator
from .text import contains_any, sentences

_MAIN_VERB = re.compile(
    r"\b(?:carr(?:y|ies|ied) out|launch(?:es|ed)?|ambush(?:es|ed)?|attack(?:s|ed)?|kill(?:s|ed)?|"
    r"kidnap(?:s|ped)?|abduct(?:s|ed)?|open(?:s|ed)? fire|detonat(?:e|es|ed)|storm(?:s|ed)?|"
    r"target(?:s|ed)?|releas(?:e|es|ed)|execut(?:e|es|ed)|raid(?:s|ed)?|seiz(?:e|es|ed)|"
    r"destroy(?:s|ed)?|invade(?:s|d)?|massacre(?:s|d)?|shoot|slit|claims?|circulates|exchange|"
    r"cross|turn over|assassinat(?:e|es|ed)|strikes?|hits?|explodes?|is|are|was|were|convicts|"
    r"designates|publishes|begins|charges|tweets|arrests?|causes|dressed|on motorbikes|using|"
    r"with (?:links|heavy)|simultaneously|reportedly|in coordinat\w+|"
    r"declares|release|abduct|ambush|attack|kill|kidnap|detonate|open|launch|carry|target|"
    r"besiege[sd]?|fire|fires|burn(?:s|ed)?|set(?:s)? fire|drives?|say|says|posts?)\b",
)
_GENERIC = re.compile(
    r"\b(?:militants?|jihadists?|gunm[ae]n|assailants?|armed men|insurgents?|islamists?|"
    r"extremists?|terrorists?|attackers?|bombers?|men|rebels|separatists|fighters|hunters|"
    r"militia)\b",
    re.I,
)
_SUSPECT_CUE = re.compile(
    r"\b(?:suspect(?:s|ed)?|believed?|presumably|allegedly|alleged|likely|possibly|"
    r"linked to|with links to|thought to)\b",
    re.I,
)
_ATTRIB_CUE = re.compile(
    r"\b(?:attribut(?:es|ed) (?:the attack )?to|blame[sd]?|carried out by|believes that|"
    r"accuse[sd]?|responsible|by)\b",
    re.I,
)
_CLAIM_AFTER = re.compile(
    r"^[^.;]{0,45}?\b(?:(?:later\s+)?claim(?:s|ed|ing)?\s+(?:responsibility|credit|the (?:attack|"
    r"raids?|assault|attacks|collision)|that it|to (?:have\s+)?(?:ambush|attack|kill|carry)|its)|"
    r"takes? credit|took credit|claims to)",
    re.I,
)
_DENY_AFTER = re.compile(r"^[^.;]{0,30}?\bden(?:y|ies|ied)\b", re.I)
_CLAIMED_BY = re.compile(r"\bclaimed by\s*(?:the\s+)?$", re.I)
_RESP_AFTER = re.compile(r"^[^.;]{0,40}?\b(?:is|was|were|are) (?:responsible|behind)", re.I)
_DESCRIPTOR = re.compile(r"^(?:-|\s)(?:linked|affiliated|affiliate|aligned|allied)\b", re.I)
_NOT_PERP_BEFORE = re.compile(r"\b(?:led by|leader of|member of|head of)\s*(?:the\s+)?$", re.I)
_LIST_GAP = re.compile(r"^(?:\)?\s*,\s*(?:and\s+)?|\)?\s+and\s+)(?:the\s+)?$")
# A subject that is a person does the detonating ("a suicide bomber from X detonates ...").
_PERSON_SUBJECT = re.compile(r"\b(?:bombers?|militants?|fighters?|assailants?|attackers?)\b", re.I)
# "for his links to ISIS": a description of a person, not an attribution of the attack.
_DESCRIBED = re.compile(
    r"\b(?:his|her|their|its)\s+(?:alleged\s+)?(?:links?|ties)\s+to\s+(?:the\s+)?$", re.I
)
_RANK = {"claimed": 4, "attributed": 3, "suspected": 2, "denied": 1, "unknown": 0}


_LEAD_IN = re.compile(r"^(?:In|During|After|Following|On|Amid|Over|Within|For)\b[^,]{0,100},\s*")
_VICTIM_VERB = re.compile(r"strikes?|hits?|is|are|was|were|explodes?|detonates?", re.I)
_CARRYING = re.compile(r"\b(?:carrying|transporting)\b")
_IS_SUSPECTED = re.compile(r"^\s+(?:is|are|was|were) (?:the |a )?(?:suspected|believed|alleged)")


def main_verb(sentence: str, pos: int = 0) -> tuple[int, str] | None:
    """(start, verb) of the first main verb from `pos`: what comes before it is the subject.

    Cached for the few calls on one entry's first sentence (here and in `entries`)."""
    # Always both arguments: the cache keys `main_verb(s)` and `main_verb(s, 0)` apart, so
    # the call in `entries` never found the one made here.
    return _main_verb(sentence, pos)


@lru_cache(maxsize=4)
def _main_verb(sentence: str, pos: int) -> tuple[int, str] | None:
    m = _MAIN_VERB.search(sentence, pos)
    return (m.start(), m.group(0)) if m else None


def find_perpetrators(
    body: str,
    lexicon: ActorLexicon,
    all_mentions: list[ActorMention] | None = None,
    sents: list[tuple[int, str]] | None = None,
) -> tuple[Perpetrator, ...]:
    if sents is None:
        sents = sentences(body)
    found: dict[str, Perpetrator] = {}
    descriptors: dict[str, Perpetrator] = {}
    first_subject_end = 0
    skip = 0
    if sents:
        first = sents[0][1]
        lead_in = _LEAD_IN.match(first)
        skip = lead_in.end() if lead_in else 0
        verb = main_verb(first, skip)
        first_subject_end = verb[0] if verb else 0
        if verb and (
            (
                _VICTIM_VERB.fullmatch(verb[1])
                and not _PERSON_SUBJECT.search(first[skip:first_subject_end])
            )
            or _CARRYING.search(first, 0, first_subject_end)
        ):
            first_subject_end = 0  # the subject is the victim ("a convoy strikes an IED")
    if all_mentions is None:
        all_mentions = lexicon.find(body)
    for offset, sentence in sents:
        previous: tuple[int, str | None] = (-1, None)
        sentence_end = offset + len(sentence)
        for mention in all_mentions:
            if not (offset <= mention.start and mention.end <= sentence_end):
                continue
            # Offsets into the sentence (no new mention object per sentence: a hot loop).
            start, end = mention.start - offset, mention.end - offset
            in_subject = offset == 0 and skip <= start < first_subject_end
            status = _status(sentence, start, end, in_subject=in_subject)
            gap = sentence[previous[0] : start] if previous[0] >= 0 else ""
            if status is None and previous[1] and _LIST_GAP.match(gap):
                status = previous[1]
            previous = (end, status)
            if status is None:
                continue
            perp = Perpetrator(mention.written, mention.actor.name, mention.actor.actor_id, status)
            after = sentence[end : end + 12]
            target = descriptors if _DESCRIPTOR.match(after) else found
            _keep(target, perp)
    for key, perp in descriptors.items():
        if not found or key in found:
            status = "suspected" if perp.status in ("attributed", "suspected") else perp.status
            _keep(found, Perpetrator(perp.name, perp.actor, perp.actor_id, status))
    if not found:
        generic = _generic(sents, first_subject_end)
        if generic is not None:
            return (generic,)
    return tuple(found.values())


def _keep(store: dict[str, Perpetrator], perp: Perpetrator) -> None:
    key = perp.actor_id or perp.name
    old = store.get(key)
    if old is None:
        store[key] = perp
    elif _RANK[perp.status] > _RANK[old.status]:
        store[key] = Perpetrator(old.name, old.actor, old.actor_id, perp.status)


_NEAR_SUSPECT = re.compile(
    r"\b(?:suspected|suspect|suspects|believed to (?:be|belong to|have been carried out by)|"
    r"presumably|allegedly(?: carried out by)?|likely|possibly|linked to|links to|"
    r"suspected that|blamed? on)\s+(?:(?:the|a|an|jihadist|islamist|militant|militants|group|"
    r"local|burkinabe|members of|of|al|\w+-linked)\s+){0,4}$",
    re.I,
)
_NEAR_ATTRIB = re.compile(
    r"\b(?:attribut(?:es|ed) (?:the attack )?to|blame[sd]?|carried out by|perpetrated by|"
    r"believes that|accuse[sd]?|kidnapped by|abducted by|claimed by)\s+(?:(?:the|a|an|"
    r"jihadist|islamist|group|\w+-linked|al|burkinabe|local)\s+){0,6}$",
    re.I,
)
_BACKGROUND = re.compile(
    r"\b(?:prone to|known (?:for|to)|weapon of choice|similar to|in the past|previously)\b", re.I
)
# "ISGS fighters ambush ...": the group's fighters are the subject of an attack verb.
_ACTIVE_FIGHTERS = re.compile(
    r"^(?:\s+\w+){0,2}\s+(?:militants|fighters|insurgents|gunmen|jihadists)\b"
    r"(?!\s+(?:are|were|is|was|have been|had been)\b)[^.;]{0,40}?"
    r"\b(?:ambush|attack|kill|kidnap|detonat|launch|carry|open fire)",
    re.I,
)
_SPECULATIVE = re.compile(r"\b(?:suspected that|believed that|suspect that|believes that)\b", re.I)


def _status(sentence: str, start: int, end: int, *, in_subject: bool) -> str | None:
    """The status the sentence gives the actor named at `start:end`, or None."""
    before = sentence[:start]
    after = sentence[end:]
    # Each pattern below needs one of a few words near the name: substring tests on the
    # lowercased surroundings skip the patterns that cannot match.
    lb = before[-160:].lower()
    la = after[:160].lower()
    if (contains_any(lb[-30:], _NOT_PERP_WORDS) and _NOT_PERP_BEFORE.search(before[-25:])) or (
        contains_any(lb[-45:], ("link", "ties")) and _DESCRIBED.search(before[-40:])
    ):
        return None
    if (contains_any(la, ("claim", "credit")) and _CLAIM_AFTER.match(after)) or (
        "claimed by" in lb[-30:] and _CLAIMED_BY.search(before[-25:])
    ):
        return "claimed"
    if "den" in la[:50] and _DENY_AFTER.match(after):
        return "denied"
    if in_subject:
        return "suspected" if _SUSPECT_CUE.search(before) or _SUSPECT_CUE.match(
            after.lstrip("-")) else "attributed"  # fmt: skip
    if contains_any(sentence.lower(), _BACKGROUND_WORDS) and _BACKGROUND.search(sentence):
        return None
    if contains_any(la[:60], ("suspected", "believed", "alleged")) and _IS_SUSPECTED.match(after):
        return "suspected"
    near = before[-160:]  # the cues below sit just before the name
    if contains_any(lb, _NEAR_SUSPECT_WORDS) and _NEAR_SUSPECT.search(near):
        return "suspected"
    if contains_any(lb, _NEAR_ATTRIB_WORDS) and _NEAR_ATTRIB.search(near):
        return "suspected" if _SUSPECT_CUE.search(before[-60:]) else "attributed"
    if contains_any(la[:80], ("responsible", "behind")) and _RESP_AFTER.match(after):
        return "suspected" if _SPECULATIVE.search(before) else "attributed"
    if contains_any(la[:60], _FIGHTER_WORDS) and _ACTIVE_FIGHTERS.match(after):
        return "attributed"
    return None


_NOT_PERP_WORDS = ("led by", "leader of", "member of", "head of")
_BACKGROUND_WORDS = ("prone to", "known ", "weapon of choice", "similar to", "in the past",
                     "previously")  # fmt: skip
_NEAR_SUSPECT_WORDS = ("suspect", "believed to", "presumably", "allegedly", "likely", "possibly",
                       "linked to", "links to", "blame")  # fmt: skip
_NEAR_ATTRIB_WORDS = ("attribut", "blame", "carried out by", "perpetrated by", "believes that",
                      "accuse", "kidnapped by", "abducted by", "claimed by")  # fmt: skip
_FIGHTER_WORDS = ("militants", "fighters", "insurgents", "gunmen", "jihadists")


_ATTRIBUTED_GENERIC = re.compile(
    r"\battribut(?:es|ed) (?:the (?:attack|ambush|explosion) )?to \"?(?P<who>(?:\w+\s){0,2}?"
    r"(?:jihadists|militants|islamists|extremists|insurgents))\b",
    re.I,
)


_SUSPECTED_GENERIC = re.compile(
    r"\b(?:suspected to be|believed to be|suspect(?:s|ed)?(?: that)?)\s+"
    r"(?P<who>(?:\w+\s){0,2}?(?:jihadists|militants|islamists|extremists|insurgents|"
    r"jihadist militants|islamist militants))\b",
    re.I,
)
_SUBJECT_LEAD_IN = re.compile(
    r"^(?:In|During|After|Following|Amid|Over|Within|For)\b[^,]{0,100},\s*"
)
_SUBJECT_DAY = re.compile(r"^On [A-Z][a-z]+ \d{1,2},\s*")
_SUBJECT_ARTICLE = re.compile(r"^(?:a|an|the)\s+", re.I)


def _generic(sents: list[tuple[int, str]], subject_end: int) -> Perpetrator | None:
    if sents and subject_end:
        subject = sents[0][1][:subject_end].strip(" ,")
        subject = _SUBJECT_LEAD_IN.sub("", subject)
        subject = _SUBJECT_DAY.sub("", subject)
        subject = _SUBJECT_ARTICLE.sub("", subject)
        subject = subject[:1].upper() + subject[1:]
        generic = _GENERIC.search(subject)
        if generic and len(subject) < 80:
            # "Jihadists ... The suspected jihadists massacre ...": the report's doubt counts
            later = f"suspected {generic.group(0).lower()}"
            doubted = _SUSPECT_CUE.search(subject) or any(later in t.lower() for _, t in sents)
            return Perpetrator(subject, None, None, "suspected" if doubted else "unknown")
    for _, sentence in sents:
        # Both patterns need their verb: a substring test on the lowercased sentence skips the
        # case-insensitive scans of most sentences, which name neither.
        lowered = sentence.lower()
        m = _ATTRIBUTED_GENERIC.search(sentence) if "attribut" in lowered else None
        if m:
            return Perpetrator(m["who"], None, None, "attributed")
        m = (
            _SUSPECTED_GENERIC.search(sentence)
            if "suspect" in lowered or "believed to be" in lowered
            else None
        )
        if m:
            return Perpetrator(m["who"], None, None, "suspected")
    return None
