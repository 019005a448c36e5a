"""The actor registry as the parser sees it: aliases to canonical actors, found in running text."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache

from common.names import normalize_name

_key = lru_cache(maxsize=1 << 14)(normalize_name)


@dataclass(frozen=True)
class ActorRef:
    actor_id: str
    name: str  # canonical


@dataclass(frozen=True)
class ActorMention:
    start: int
    end: int
    written: str
    actor: ActorRef


def _alias_atoms(alias: str) -> list[str]:
    """One pattern piece per character: apostrophes optional, hyphens and spaces loose."""
    out: list[str] = []
    for ch in alias:
        if ch in "'\u2019`":
            out.append("['\u2019`]?")
        elif ch in "- ":
            out.append(r"[-\s]?" if ch == "-" else r"[-\s]+")
        else:
            out.append(re.escape(ch))
    return out


_Trie = dict[str, "_Trie"]


def _trie_pattern(aliases: Iterable[str]) -> str:
    """All aliases as one prefix tree ("al(?:-qaeda|-mourabitoun)"): the engine walks shared
    prefixes once instead of retrying every alias at every position. Longer branches come
    first, so the longest alias still wins, as in a longest-first alternation."""
    root: _Trie = {}
    for alias in aliases:
        node = root
        for atom in _alias_atoms(alias):
            node = node.setdefault(atom, {})
        node[""] = {}  # an alias ends here

    def depth(node: _Trie) -> int:
        return max((1 + depth(child) for key, child in node.items() if key), default=0)

    def emit(node: _Trie) -> str:
        kids = sorted(((k, v) for k, v in node.items() if k), key=lambda kv: -depth(kv[1]))
        alts = [key + emit(child) for key, child in kids]
        if not alts:
            return ""
        body = alts[0] if len(alts) == 1 else "(?:" + "|".join(alts) + ")"
        return f"(?:{body})?" if "" in node else body

    return emit(root)


class ActorLexicon:
    """Matches actor names by alias; acronyms match case-sensitively, names in any case."""

    def __init__(self, by_alias: dict[str, ActorRef], aliases: list[str]) -> None:
        self._by_alias = by_alias
        acronyms = sorted({a for a in aliases if _is_acronym(a)}, key=len, reverse=True)
        names = sorted({a for a in aliases if not _is_acronym(a)}, key=len, reverse=True)
        # No look-behind: the engine can then skip to an acronym's first capital; `find`
        # checks that the match starts a word (not after a letter, digit, "_" or "-").
        self._acronyms = (
            re.compile(r"(?:" + _trie_pattern(acronyms) + r")(?![\w])") if acronyms else None
        )
        lowered = sorted({a.lower() for a in names}, key=len, reverse=True)
        self._names = (
            re.compile(r"(?<![\w])(?:" + _trie_pattern(lowered) + r")(?![\w])") if lowered else None
        )

    @classmethod
    def from_entries(cls, entries: Iterable[tuple[str, str, Sequence[str]]]) -> ActorLexicon:
        by_alias: dict[str, ActorRef] = {}
        aliases: list[str] = []
        for actor_id, canonical, alias_list in entries:
            ref = ActorRef(str(actor_id), canonical)
            for alias in (canonical, *alias_list):
                key = normalize_name(alias)
                if not key or len(key) < 2:
                    continue
                by_alias.setdefault(key, ref)
                aliases.append(alias.strip())
        return cls(by_alias, [a for a in aliases if a])

    def resolve(self, name: str) -> ActorRef | None:
        return self._by_alias.get(_key(name))

    def find(self, text: str) -> list[ActorMention]:
        hits: list[ActorMention] = []
        lowered = text.lower()
        if len(lowered) != len(text):  # a few characters change length when lowered
            lowered = "".join(c.lower() if len(c.lower()) == 1 else c for c in text)
        for pattern, haystack in ((self._names, lowered), (self._acronyms, text)):
            if pattern is None:
                continue
            for m in pattern.finditer(haystack):
                at = m.start()
                if pattern is self._acronyms and at and _joined(text[at - 1]):
                    continue
                written = text[at : m.end()]
                ref = self.resolve(written)
                if ref is not None:
                    hits.append(ActorMention(m.start(), m.end(), written, ref))
        hits.sort(key=lambda h: (h.start, -(h.end - h.start)))
        out: list[ActorMention] = []
        for hit in hits:
            if out and hit.start < out[-1].end:
                continue
            out.append(hit)
        return out


def _joined(before: str) -> bool:
    """Whether a name starting after `before` would be glued to a word ("-" included)."""
    return before.isalnum() or before in "_-"


def _is_acronym(alias: str) -> bool:
    letters = [c for c in alias if c.isalpha()]
    return len(alias) <= 8 and bool(letters) and sum(c.isupper() for c in letters) >= 2
