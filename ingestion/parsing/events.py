"""What kind of event an entry reports, and whom it targeted, from its wording."""

from __future__ import annotations

import re

from .text import contains_any


def _lower_pattern(pattern: str) -> str:
    """Lowercase a pattern's literals, keeping escapes such as \\S intact."""
    return re.sub(r"\\.|[A-Z]", lambda m: m.group(0) if m.group(0).startswith("\\") else
                  m.group(0).lower(), pattern)  # fmt: skip


# Patterns are matched against lowercased text (much faster than re.IGNORECASE). Each rule also
# lists words at least one of which any match contains: a plain substring test rules most
# patterns out before the regex runs.
_Rule = tuple[str, tuple[str, ...], re.Pattern[str]]


def _rules(table: tuple[tuple[str, tuple[str, ...], str], ...]) -> tuple[_Rule, ...]:
    return tuple((kind, words, re.compile(_lower_pattern(pat))) for kind, words, pat in table)


_RULES = _rules(
    (
        ("arrest_or_trial", ("arrest", "court", "trial", "convict", "charge", "sentenc", "extradit",
         "indict"), r"\b(?:arrest(?:s|ed)?|court|trial|convict(?:s|ed)|charges?|"
         r"sentenc(?:es|ed)|extradit\w+|indict\w+)\b"),
        ("designation_or_sanction", ("designat", "sanction", "terrorist list", "bounty"),
         r"\b(?:designat(?:es|ed|ion)|sanction(?:s|ed)?|terrorist list|bounty)\b"),
        ("hostage_release", ("releas", "freed", "frees", "turn"),
         r"\b(?:releases?|released|freed|frees|return\w* .{0,40}release|"
         r"turn(?:s|ed)? over)\b(?!.{0,20}\bstatement)"),
        ("leader_killed_or_captured", ("leader", "commander", "emir", "second in command",
         "number two", "chief", "head of", "expert"),
         r"\b(?:neutrali[sz]\w*|kill\w*|captur\w*|"
         r"targets and \w+)\b[^.]{0,80}\b(?:leader|commander|emir|second in command|"
         r"number two|chief|head of|expert|military leader)\b|\b(?:leader|commander)\b[^.]{0,40}"
         r"\b(?:is|was) (?:killed|captured|neutrali[sz]ed)"),
        ("suicide_bombing", ("suicide",), r"\bsuicide\b"),
        ("vehicle_bomb", ("bomb", "vehicle-borne", "vbied", "explosive-"),
         r"\b(?:car|truck|vehicle)[- ]bomb\w*|vehicle-borne|\bVBIED|"
         r"explosive-(?:packed|laden) vehicle"),
        ("ied_or_landmine", ("ied", "improvised", "roadside", "mine", "explosive device",
         "makeshift", "booby"),
         r"\b(?:IEDs?|improvised explosive|roadside bomb|landmines?|(?<!gold )(?<!Fekola )mine\b"
         r"(?! workers?| site| convoy| staff)|"  # a mine's workers were not hit by a mine
         r"explosive device|makeshift bomb|booby-?trap\w*)"),
        ("mortar_or_rocket", ("mortar", "rocket", "shelling"),
         r"\bmortar|\brockets?\b(?!-propelled)|rocket fire|shelling"),
        ("kidnapping", ("kidnap", "abduct", "captive"),
         r"\b(?:kidnap(?:s|pings?)?\b|abduct(?:s|ing)?\b|kidnapped (?!by)|"
         r"(?:is|are|was|were) (?:kidnapped|abducted)\b|take\w* captive)"),
        ("report_or_assessment", ("report", "publishes"),
         r"\b(?:report (?:published|released)|publishes|"
         r"according to a report|releases? a report|report by)\b"),
        ("statement_or_propaganda", ("statement", "video", "propaganda", "tweet", "praise",
         "pledg"),
         r"\b(?:statement|video|propaganda|tweets?|praise|pledg\w+ allegiance)\b"),
        ("military_operation", ("operation", "strike", "offensive", "raid on"),
         r"\b(?:operation|air ?strikes?|drone strike|offensive|raid on "
         r"(?:militant|jihadist))\b"),
        ("ambush", ("ambush",), r"\bambush\w*"),
        ("armed_attack", ("attack", "open", "storm", "raid", "assault", "fire", "clash",
         "gunmen", "shoot", "kill", "massacre", "invade", "seize", "target", "murder",
         "assassinat", "execut"),
         r"\b(?:attack\w*|open\w* fire|storm\w*|raid\w*|assault\w*|gunfire|"
         r"clash\w*|gunmen|shoot\w*|fire on|kill\w*|massacre\w*|invade\w*|seize\w*|"
         r"target(?:s|ed)?|murder\w*|assassinat\w*|execut\w*)"),
        ("kidnapping", ("hostage",), r"\bhostages?\b"),
    )
)  # fmt: skip
# Any Sahel state's forces, not only Mali's: the same report exists for each country.
_STATE_OWNER = (
    r"(?:french|malian|nigerien|nig\u00e9rien|burkinab(?:e|\u00e8)|nigerian|chadian|"
    r"mauritanian|u\.s\.|american|(?:mali|niger|burkina faso|nigeria|chad)['\u2019]s)"
)
_STATE_SUBJECT = re.compile(
    rf"^(?:the\s+)?(?:allied\s+)?{_STATE_OWNER}(?![\w'\u2019])[^.]{{0,40}}?"
    r"\b(?:forces|troops|army|military|soldiers|ground forces|air forces|government)\b"
    rf"|^(?:the )?wagner group|^{_STATE_OWNER} (?:president|authorities)",
    re.I,
)
_CIVILIAN_TARGET = re.compile(
    r"\b(?:villagers?|villages?|civilians|wedding|bus(?:es)?|passengers?|market|herders|"
    r"children)\b",
    re.I,
)


def classify(first_sentence: str, text: str, *, killed_any: bool) -> str:
    lead = first_sentence.lower()
    text = text.lower()
    state_subject = bool(_STATE_SUBJECT.search(lead.strip()))
    # The lead is a sentence of the text, so a rule none of whose words the text holds cannot
    # match the lead either: the text is tested once per rule, the lead only for the rules
    # left, and a lead that is the whole text is read once.
    rules = [rule for rule in _RULES if contains_any(text, rule[1])]
    for scope in (lead, text) if lead != text else (text,):
        for kind, words, pattern in rules:
            if (scope is lead and not contains_any(lead, words)) or not pattern.search(scope):
                continue
            if kind == "hostage_release" and re.search(r"\b(?:kidnap|kidnaps|abduct|abducts)\b",
                                                        scope[:80], re.I):  # fmt: skip
                continue
            if kind == "leader_killed_or_captured" and not (
                state_subject or re.search(r"neutrali|captur|operation", scope, re.I)
            ):
                continue
            if kind == "statement_or_propaganda" and re.search(
                r"\b(?:ambush|attack|kill)\w*", lead, re.I
            ):
                continue
            if kind == "report_or_assessment" and not re.match(
                r"^(?:according to|the [\w ().'-]{0,80}(?:publishes|releases)|a report)", lead, re.I
            ):
                continue
            if kind in ("armed_attack", "ambush", "military_operation") and state_subject:
                return "military_operation"
            if (
                kind in ("armed_attack", "ambush")
                and killed_any
                and _CIVILIAN_TARGET.search(lead)
                and not re.search(r"\b(?:soldiers|army|military|troops|peacekeep)", lead, re.I)
            ):
                return "massacre_of_civilians"
            return kind
    return "other"


_TARGETS = _rules(
    (
        ("civilians", ("civilian", "villag", "passenger", "wedding", "people", "tourist",
         "journalist", "aid worker", "idps", "displacement camp", "hotel", "restaurant",
         "worshippers", "herders", "residents", "expatriates", "ngo worker", "paramedic",
         "employees", "bus", "drivers", "workers", "priest", "market"),
         r"\b(?:civilians?|villagers?|villages?|passengers?|wedding|people|"
         r"tourists?|journalists?|aid worker|IDPs|displacement camps?|hotel|restaurant|"
         r"worshippers|herders|residents|expatriates|NGO worker|paramedic|employees|bus|"
         r"drivers|workers|priest|market)\b"),
        ("military", ("soldier", "army", "military", "troops", "armed forces",
         "security forces", "defense post", "militiamen", "checkpoint"),
         r"\b(?:soldiers?|army|military (?:base|camp|post|convoy|position|outpost|"
         r"vehicle|complex|unit|patrol|truck)|troops|armed forces|security forces|defense post|"
         r"militiamen|security checkpoint|checkpoint|military)\b"),
        ("un_peacekeepers", ("peacekeep", "minusma", "u.n. "),
         r"\b(?:peacekeep\w*|MINUSMA|U\.N\. (?:base|convoy|camp|patrol|"
         r"vehicle|logistics|armored|mission|-run))"),
        ("french_forces", ("french", "barkhane"),
         r"\b(?:French (?:soldiers?|troops|forces|military|armored|army|base)|Barkhane)"),
        ("wagner", ("wagner",), r"\bWagner\b"),
        ("police_gendarmerie", ("police", "gendarm", "custom"),
         r"\b(?:police|gendarm\w*|customs?|custom officer)\b"),
        ("government_officials", ("minister", "official", "chief of staff", "mayor",
         "opposition leader", "diplomat", "state security officer", "village chiefs"),
         r"\b(?:minister|official delegation|chief of staff|mayor|"
         r"election officials|opposition leader|government officials?|diplomats?|"
         r"State Security officer|village chiefs)\b"),
        ("foreigners", ("foreign", "expatriate", "tourist", "diplomat", "westerner", "french",
         "italian", "british", "austrian", "south african", "canadian", "german", "algerian"),
         r"\b(?:foreign(?:ers| nationals| expatriates)?|expatriates|tourists?|"
         r"diplomats|(?:French|Italian|British|Austrian|South African|Canadian|German|"
         r"Algerian) (?:citizens?|nationals?|tourists?|journalists?|hostages?|man|woman|"
         r"paramedic|NGO)|Westerners)\b"),
        ("jihadists", ("militants", "jihadists", "fighters", "affiliates"),
         r"\b(?:(?:al-Qaeda|ISIS|JNIM|IS Sahel) (?:militants|"
         r"fighters|affiliates)|militants|jihadists)\b"),
        ("infrastructure", ("bridge", "airport", "gold mine", "toll station", "polling station",
         "gas facility", "bank", "jail", "telecom"),
         r"\b(?:bridges?|airports?|gold mine|toll station|polling stations|"
         r"gas facility|bank|jail|telecom\w*)\b"),
    )
)  # fmt: skip


_MILITARY_OPERATION = re.compile(r"\bmilitary operation\b")


def _names_military_operation(text: str) -> bool:
    """What a full match of `.*\\bmilitary operation\\b.*` says (no newline, the phrase as
    words) without its backtracking over the whole text: most texts lack the phrase."""
    return (
        "military operation" in text and "\n" not in text and bool(_MILITARY_OPERATION.search(text))
    )


def targets(text_after_subject: str, event_type: str) -> tuple[str, ...]:
    if event_type in (
        "arrest_or_trial",
        "designation_or_sanction",
        "statement_or_propaganda",
        "report_or_assessment",
    ):
        return ()
    out: list[str] = []
    text_after_subject = text_after_subject.lower()
    for kind, words, pattern in _TARGETS:
        if not contains_any(text_after_subject, words):
            continue
        if (
            kind == "jihadists"
            and event_type
            not in (
                "military_operation",
                "leader_killed_or_captured",
            )
            and not re.search(r"targets? al-qaeda|between isis", text_after_subject)
        ):
            continue
        if kind == "military" and _names_military_operation(text_after_subject):
            continue
        if pattern.search(text_after_subject):
            out.append(kind)
    return tuple(out)
