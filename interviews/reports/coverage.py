"""Concept coverage: which of a case study's key concepts the candidate actually wrote down.

Candidates write fast and loosely ("A/B testing", "ab tests", "a-b test"; "time-out", "timeouts";
"ANNs"), and the guide's aliases are written once by an author. Matching therefore works on
normalised tokens rather than raw substrings:

- text is case-folded, accents are dropped, and anything that is not a letter or digit separates
  tokens, so punctuation, hyphens, slashes and spaces are interchangeable;
- a phrase only matches whole tokens, so the alias "ANN" never matches inside "channel" and "ViT"
  never matches inside "activity";
- each token is reduced by a small, predictable stemmer (plural "s"/"ies", "-ing", "-ed", a final
  "e", a doubled final consonant), so "labels", "labelling" and "label" meet;
- a phrase also matches when its tokens are written joined or split ("ab test" vs "A/B test",
  "timeout" vs "time out", "logloss" vs "log loss"), compared as the joined characters of a run
  of tokens that starts and ends on token boundaries.

Every module of the report that looks for phrases in candidate text uses `TextIndex`, so the
rules agree with the coverage table about what counts as "mentioned".
"""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from typing import Any, TypedDict

from casestudies.framework import STEP_KEYS

_TOKEN_RE = re.compile(r"[^\W_]+")
_VOWELS = frozenset("aeiouy")
# Singular words ending in "s" that the plural rule would otherwise clip ("bias" must meet
# "biases", and "news feed" must not become "new feed").
_INVARIANT = frozenset(
    {"alias", "atlas", "bias", "canvas", "chaos", "gas", "lens", "news", "series"}
)


class FoundConcept(TypedDict):
    name: str
    matched: str  # the name or alias, as the guide writes it, that was found


class StepCoverage(TypedDict):
    found: list[FoundConcept]
    missing: list[str]


def stem(token: str) -> str:
    """Reduce one lower-case token to a crude stem; the same word in different inflections
    gives the same stem. Tokens with digits and tokens under three letters are left alone, so
    acronyms such as "ann", "f1" and "p99" stay exact."""
    if len(token) < 3 or not token.isalpha() or token in _INVARIANT:
        return token
    word = token
    if len(word) > 4 and word.endswith("ies"):
        word = word[:-3] + "y"
    elif word.endswith("s") and word[-2] not in "siu":  # not "loss", "analysis", "status"
        word = word[:-1]
    for suffix in ("ing", "ed"):
        base = word[: -len(suffix)]
        if word.endswith(suffix) and len(base) >= 3 and _VOWELS & set(base):
            word = base
            break
    if len(word) >= 4 and word.endswith("e"):
        word = word[:-1]
    if len(word) >= 4 and word[-1] == word[-2] and word[-1] not in _VOWELS:
        word = word[:-1]
    return word


def raw_tokens(text: str) -> list[str]:
    """Case-folded, accent-free runs of letters and digits; everything else separates."""
    folded = unicodedata.normalize("NFKD", text.casefold())
    folded = "".join(ch for ch in folded if not unicodedata.combining(ch))
    return _TOKEN_RE.findall(folded)


class _Phrase:
    """A phrase prepared for lookup: its stems, and its joined form (all tokens written
    together, the last one stemmed) for matching joined/split spellings."""

    __slots__ = ("stems", "joined")

    def __init__(self, phrase: str) -> None:
        raw = raw_tokens(phrase)
        self.stems = [stem(token) for token in raw]
        self.joined = "".join(raw[:-1]) + stem(raw[-1]) if raw else ""


class TextIndex:
    """Candidate text tokenised once and queried for many phrases.

    Texts stay separate: a phrase never matches across the end of one chat message and the start
    of the next. Build one per report; lookups cost about the number of places where the
    phrase's first token occurs, not the length of the text.
    """

    def __init__(self, texts: Iterable[str]) -> None:
        self._texts: list[str] = [text for text in texts if isinstance(text, str)]
        self._raw: list[str | None] = []  # None marks the boundary between two texts
        self._stems: list[str | None] = []
        self._by_stem: dict[str, list[int]] = defaultdict(list)
        self._by_raw: dict[str, list[int]] = defaultdict(list)
        for text in self._texts:
            for token in raw_tokens(text):
                position = len(self._raw)
                token_stem = stem(token)
                self._raw.append(token)
                self._stems.append(token_stem)
                self._by_stem[token_stem].append(position)
                self._by_raw[token].append(position)
            self._raw.append(None)
            self._stems.append(None)

    def contains(self, phrase: str) -> bool:
        """True when `phrase` occurs in any text under the matching rules of this module."""
        prepared = _Phrase(phrase)
        if not prepared.stems:
            return False
        return self._match_stems(prepared.stems) or self._match_joined(prepared.joined)

    def first_match(self, phrases: Iterable[str]) -> str | None:
        """The first of `phrases` (as given) that occurs, or None."""
        for phrase in phrases:
            if self.contains(phrase):
                return phrase
        return None

    def contains_uppercase(self, word: str) -> bool:
        """True when `word` appears written in capitals as a whole word in the raw text.

        For acronyms that are also everyday words ("MAP" the metric vs. "map" the verb), where
        case-insensitive matching would report a metric nobody named.
        """
        pattern = re.compile(rf"(?<![A-Za-z0-9]){re.escape(word.upper())}(?![A-Za-z])")
        return any(pattern.search(text) for text in self._texts)

    def _match_stems(self, stems: list[str]) -> bool:
        n = len(stems)
        for start in self._by_stem.get(stems[0], ()):
            if self._stems[start : start + n] == stems:
                return True
        return False

    def _match_joined(self, target: str) -> bool:
        if target in self._by_stem:  # written as one word: "timeouts" for "time out"
            return True
        # A run of several tokens starts with a raw token that is a prefix of the target.
        for length in range(1, len(target)):
            for start in self._by_raw.get(target[:length], ()):
                if self._joined_run_matches(start, target):
                    return True
        return False

    def _joined_run_matches(self, start: int, target: str) -> bool:
        written = ""
        for token in self._raw[start:]:
            if token is None:
                return False
            if written + stem(token) == target:
                return True
            written += token
            if not target.startswith(written):
                return False
        return False


def concept_coverage(guide: Mapping[str, Any], texts: Sequence[str]) -> dict[str, StepCoverage]:
    """For each step of a case study guide, the key concepts found in `texts` and the missing ones.

    `guide` has the shape checked by `casestudies.guide.check_guide` (only `steps` → step key →
    `key_concepts` → `name`, `aliases` is read). A concept is found when its name or any alias
    occurs; `matched` says which one, so the report can show the candidate what was recognised.
    Steps come in framework order; a step missing from the guide gets empty lists.
    """
    index = TextIndex(texts)
    steps = guide.get("steps") or {}
    ordered = [key for key in STEP_KEYS if key in steps] + [k for k in steps if k not in STEP_KEYS]
    result: dict[str, StepCoverage] = {}
    for key in ordered:
        found: list[FoundConcept] = []
        missing: list[str] = []
        for concept in (steps[key] or {}).get("key_concepts") or ():
            name = concept["name"]
            matched = index.first_match([name, *concept.get("aliases", ())])
            if matched is None:
                missing.append(name)
            else:
                found.append({"name": name, "matched": matched})
        result[key] = {"found": found, "missing": missing}
    return result


def scene_texts(elements: Iterable[Mapping[str, Any]]) -> list[str]:
    """The words a candidate put on the whiteboard: text elements (including labels bound to
    shapes and arrows) and frame names, skipping deleted elements.

    Excalidraw stores a wrapped copy in `text` (with line breaks inserted, sometimes inside a
    long word) and what was typed in `originalText`; both are returned when they differ so that
    a word broken by wrapping is still found.
    """
    texts: list[str] = []
    for element in elements:
        if not isinstance(element, Mapping) or element.get("isDeleted"):
            continue
        kind = element.get("type")
        if kind == "text":
            text = element.get("text")
            original = element.get("originalText")
            if isinstance(text, str) and text.strip():
                texts.append(text)
            if isinstance(original, str) and original.strip() and original != text:
                texts.append(original)
        elif kind in ("frame", "magicframe"):
            name = element.get("name")
            if isinstance(name, str) and name.strip():
                texts.append(name)
    return texts
