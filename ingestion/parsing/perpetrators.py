"""Who did it, and how sure the report is: claimed, attributed, suspected, denied or unknown."""

from __future__ import annotations

import re

from .lexicon import ActorLexicon, ActorMention
from .model import Perpetrator
from .text import sentences

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
_RANK = {"claimed": 4, "attributed": 3, "suspected": 2, "denied": 1, "unknown": 0}


def find_perpetrators(
    body: str, lexicon: ActorLexicon, all_mentions: list[ActorMention] | None = None
) -> tuple[Perpetrator, ...]:
    sents = sentences(body)
    found: dict[str, Perpetrator] = {}
    descriptors: dict[str, Perpetrator] = {}
    first_subject_end = 0
    if sents:
        first = sents[0][1]
        lead_in = re.match(
            r"^(?:In|During|After|Following|On|Amid|Over|Within|For)\b[^,]{0,100},\s*", first
        )
        skip = lead_in.end() if lead_in else 0
        verb = _MAIN_VERB.search(first, skip)
        first_subject_end = verb.start() if verb else 0
        if verb and (
            re.fullmatch(
                r"strikes?|hits?|is|are|was|were|explodes?|detonates?", verb.group(0), re.I
            )
            or re.search(r"\b(?:carrying|transporting)\b", first[:first_subject_end])
        ):
            first_subject_end = 0  # the subject is the victim ("a convoy strikes an IED")
    if all_mentions is None:
        all_mentions = lexicon.find(body)
    for offset, sentence in sents:
        previous: tuple[int, str | None] = (-1, None)
        local = [
            ActorMention(m.start - offset, m.end - offset, m.written, m.actor)
            for m in all_mentions
            if offset <= m.start and m.end <= offset + len(sentence)
        ]
        for mention in local:
            status = _status(sentence, mention, in_subject=offset == 0 and mention.start
                             < first_subject_end)  # fmt: skip
            gap = sentence[previous[0] : mention.start] if previous[0] >= 0 else ""
            if status is None and previous[1] and _LIST_GAP.match(gap):
                status = previous[1]
            previous = (mention.end, status)
            if status is None:
                continue
            perp = Perpetrator(mention.written, mention.actor.name, mention.actor.actor_id, status)
            after = sentence[mention.end : mention.end + 12]
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
_SPECULATIVE = re.compile(r"\b(?:suspected that|believed that|suspect that|believes that)\b", re.I)


def _status(sentence: str, mention: ActorMention, *, in_subject: bool) -> str | None:
    before = sentence[: mention.start]
    after = sentence[mention.end :]
    if _NOT_PERP_BEFORE.search(before[-25:]):
        return None
    if _CLAIM_AFTER.match(after) or _CLAIMED_BY.search(before[-25:]):
        return "claimed"
    if _DENY_AFTER.match(after):
        return "denied"
    if in_subject:
        return "suspected" if _SUSPECT_CUE.search(before) or _SUSPECT_CUE.match(
            after.lstrip("-")) else "attributed"  # fmt: skip
    if _BACKGROUND.search(sentence):
        return None
    if re.match(r"^\s+(?:is|are|was|were) (?:the |a )?(?:suspected|believed|alleged)", after):
        return "suspected"
    if _NEAR_SUSPECT.search(before):
        return "suspected"
    if _NEAR_ATTRIB.search(before):
        return "suspected" if _SUSPECT_CUE.search(before[-60:]) else "attributed"
    if _RESP_AFTER.match(after):
        return "suspected" if _SPECULATIVE.search(before) else "attributed"
    if re.match(r"^(?:\s+\w+){0,2}\s+(?:militants|fighters|insurgents|gunmen|jihadists)\b", after) and (  # noqa: E501
        re.search(r"\b(?:ambush|attack|kill|kidnap|detonat|launch|carry|open fire)", after[:60], re.I)  # noqa: E501
    ):  # fmt: skip
        return "attributed"
    return None


def _generic(sents: list[tuple[int, str]], subject_end: int) -> Perpetrator | None:
    if sents and subject_end:
        subject = sents[0][1][:subject_end].strip(" ,")
        subject = re.sub(
            r"^(?:In|During|After|Following|Amid|Over|Within|For)\b[^,]{0,100},\s*", "", subject
        )
        subject = re.sub(r"^On [A-Z][a-z]+ \d{1,2},\s*", "", subject)
        subject = re.sub(r"^(?:a|an|the)\s+", "", subject, flags=re.I)
        subject = subject[:1].upper() + subject[1:]
        if _GENERIC.search(subject) and len(subject) < 60:
            status = "suspected" if _SUSPECT_CUE.search(subject) else "unknown"
            return Perpetrator(subject, None, None, status)
    for _, sentence in sents:
        m = re.search(
            r"\b(?:suspected to be|believed to be|suspect(?:s|ed)?(?: that)?)\s+"
            r"(?P<who>(?:\w+\s){0,2}?(?:jihadists|militants|islamists|extremists|insurgents|"
            r"jihadist militants|islamist militants))\b",
            sentence,
            re.I,
        )
        if m:
            return Perpetrator(m["who"], None, None, "suspected")
    return None
