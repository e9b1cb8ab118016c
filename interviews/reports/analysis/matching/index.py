"""`TextIndex`: candidate writing tokenised once and searched for many aliases.

Texts stay separate (a board label, a chat message): a phrase never matches across the end of
one and the start of the next, and a compound alias must have all its parts in one of them.
Lookups cost about the number of places where a phrase's first word occurs, not the length of
the writing.
"""

from __future__ import annotations

import itertools
import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from .negation import CLAUSE_WORDS, dismissed, negated
from .patterns import WINDOW, Pattern, Phrase, compile_alias
from .senses import AMBIGUOUS
from .senses import WINDOW as SENSE_WINDOW
from .tokens import Token, capitals, tokenize, word_key

_ARTICLES = frozenset({"a", "an", "the", "our", "its", "their"})
QUOTE_CHARS = 160  # longer writing is quoted as an excerpt around the mention
GAP = 2  # tokens that may stand between two words of a phrase (an unsure match)
GAPPED_MAX_WORDS = 3  # longer phrases are precise: written apart they are something else
NEAR = 8  # tokens within which a concept's own words count as written together
_SENTENCE_END_RE = re.compile(r"[.!?](?=\s|$)|\n")
_CLAUSE_BREAK_RE = re.compile(r"[,;.:!?()\[\]{}\n]|->|→|=>|\s-\s|\s–\s|\s—\s")


@dataclass(frozen=True, slots=True)
class Passage:
    """One piece of the candidate's writing and where it came from."""

    text: str
    source: str = "text"  # "board" (a whiteboard element), "chat", "speech" (transcript)
    at: str | None = None  # ISO 8601 time it was (last) written
    step: str | None = None  # the interview step that was current then
    ref: str | None = None  # the element id or chat sequence number


@dataclass(frozen=True, slots=True)
class Hit:
    """Where an alias occurs. `sure` is False when the words alone cannot settle it (`doubt`
    says why: "sense", "order" or "spread"); `negated` when the writing rules it out."""

    alias: str
    passage: int
    start: int  # character offsets in the passage's text
    end: int
    sure: bool = True
    doubt: str | None = None
    negated: bool = False


class TextIndex:
    def __init__(self, texts: Iterable[str | Passage]) -> None:
        self.passages: list[Passage] = []
        self._tokens: list[list[Token]] = []
        self._breaks: list[list[bool]] = []
        self._by_key: dict[str, list[tuple[int, int]]] = defaultdict(list)
        self._by_norm: dict[str, list[tuple[int, int]]] = defaultdict(list)
        for item in texts:
            passage = item if isinstance(item, Passage) else Passage(item)
            if not isinstance(passage.text, str):
                continue
            p = len(self.passages)
            tokens = tokenize(passage.text)
            self.passages.append(passage)
            self._tokens.append(tokens)
            self._breaks.append(_clause_breaks(passage.text, tokens))
            for i, token in enumerate(tokens):
                self._by_key[token.key].append((p, i))
                self._by_norm[token.norm].append((p, i))

    # --- queries -------------------------------------------------------------------------------

    def hits(self, alias: str) -> list[Hit]:
        """Every occurrence of `alias`, negated ones included; sure ones first."""
        pattern = compile_alias(alias)
        if pattern is None:
            return []
        found = self._compound_hits(pattern) if pattern.compound else self._phrase_hits(pattern)
        return sorted(found, key=lambda h: (h.negated, not h.sure, h.passage, h.start))

    def find(self, alias: str) -> Hit | None:
        """The best occurrence that is not negated (a sure one if any), or None."""
        return next((hit for hit in self.hits(alias) if not hit.negated), None)

    def first_hit(self, aliases: Iterable[str], *, sure_only: bool = False) -> Hit | None:
        """The first alias (in the order given) that occurs un-negated; sure hits win over
        unsure ones of earlier aliases."""
        unsure = None
        for alias in aliases:
            hit = self.find(alias)
            if hit is None:
                continue
            if hit.sure:
                return hit
            unsure = unsure or hit
        return None if sure_only else unsure

    def negated_hits(self, aliases: Iterable[str]) -> list[Hit]:
        """Occurrences that the writing rules out ("no fallback"), for evidence."""
        return [hit for alias in aliases for hit in self.hits(alias) if hit.negated]

    def sentence(self, hit: Hit) -> tuple[int, int]:
        """Which sentence of which passage `hit` starts in: (passage, sentence number)."""
        text = self.passages[hit.passage].text
        return hit.passage, len(_SENTENCE_END_RE.findall(text, 0, hit.start))

    def dismissed(self, hit: Hit) -> bool:
        """True when the writing dismisses `hit` as unneeded ("we don't need OCR")."""
        tokens = self._tokens[hit.passage]
        first = _token_at(tokens, hit.start)
        last = _token_at(tokens, hit.end - 1) + 1
        return dismissed(tokens, self._breaks[hit.passage], first, last)

    def contains(self, alias: str) -> bool:
        return self.find(alias) is not None

    def first_match(self, aliases: Iterable[str]) -> str | None:
        hit = self.first_hit(aliases)
        return hit.alias if hit else None

    def contains_uppercase(self, word: str) -> bool:
        """True when `word` appears written in capitals as a whole word in the raw text."""
        pattern = re.compile(rf"(?<![A-Za-z0-9]){re.escape(word.upper())}(?![A-Za-z])")
        return any(pattern.search(p.text) for p in self.passages)

    def quote(self, hit: Hit) -> str:
        """The writing that holds `hit`: all of it when short, else an excerpt around it."""
        text = self.passages[hit.passage].text
        if len(text) <= QUOTE_CHARS:
            return text.strip()
        room = max(0, QUOTE_CHARS - (hit.end - hit.start)) // 2
        start, end = max(0, hit.start - room), min(len(text), hit.end + room)
        excerpt = text[start:end].strip()
        return ("…" if start else "") + excerpt + ("…" if end < len(text) else "")

    def context(self, hit: Hit, tokens_around: int = 12) -> str:
        """A few words around `hit`, for the semantic signal."""
        tokens = self._tokens[hit.passage]
        text = self.passages[hit.passage].text
        first = next((i for i, t in enumerate(tokens) if t.end > hit.start), 0)
        last = next((i for i in range(len(tokens) - 1, -1, -1) if tokens[i].start < hit.end), 0)
        lo = tokens[max(0, first - tokens_around)].start
        hi = tokens[min(len(tokens) - 1, last + tokens_around)].end
        return text[lo:hi]

    def clause(self, hit: Hit, at_least: int = 4) -> str:
        """The clause around `hit` (to the nearest comma, full stop, arrow, ...), widened to
        `at_least` tokens either side when the clause is shorter: what one remark is about."""
        tokens = self._tokens[hit.passage]
        breaks = self._breaks[hit.passage]
        text = self.passages[hit.passage].text
        first = next((i for i, t in enumerate(tokens) if t.end > hit.start), 0)
        last = next((i for i in range(len(tokens) - 1, -1, -1) if tokens[i].start < hit.end), 0)
        lo = first
        while lo > 0 and (not breaks[lo] or first - lo < at_least):
            lo -= 1
        hi = last
        while hi < len(tokens) - 1 and (not breaks[hi + 1] or hi - last < at_least):
            hi += 1
        return text[tokens[lo].start : tokens[hi].end]

    def words_together(self, label: str, keys: frozenset[str], need: int) -> list[Hit]:
        """Places where at least `need` distinct word keys of `keys` occur within NEAR tokens of
        each other in one clause: unsure hits (doubt "words") labelled `label`, for writing
        that uses a concept's own words without any of its aliases ("prices are precomputed
        per zone" for "Precomputed zone prices")."""
        found = []
        for p, tokens in enumerate(self._tokens):
            breaks = self._breaks[p]
            positions = _unnegated_key_positions(tokens, breaks, keys)
            for n, first in enumerate(positions):
                seen, last = {tokens[first].key}, first
                for i in positions[n + 1 :]:
                    if i - first >= NEAR or any(breaks[m] for m in range(last + 1, i + 1)):
                        break
                    seen.add(tokens[i].key)
                    last = i
                if len(seen) >= need:
                    found.append(
                        Hit(
                            alias=label,
                            passage=p,
                            start=tokens[first].start,
                            end=tokens[last].end,
                            sure=False,
                            doubt="words",
                            negated=False,  # negated clauses were left out above
                        )
                    )
                    break  # one per passage is enough
        return found

    # --- matching ------------------------------------------------------------------------------

    def _phrase_hits(self, pattern: Pattern) -> list[Hit]:
        hits = []
        for phrase in pattern.parts[0]:
            for p, first, last in self._occurrences(phrase):
                hits.append(self._hit(pattern.text, phrase, p, first, last))
            if len(phrase.words) == 2 and not any(w.any_cutoff for w in phrase.words):
                # "shed load" for "load shedding", "version embeddings" for "embedding version":
                # the same two words the other way round; unsure, so meaning decides.
                swapped = Phrase(words=phrase.words[::-1], joined="")
                for p, first, last in self._occurrences(swapped, joined=False):
                    hit = self._hit(pattern.text, swapped, p, first, last)
                    if hit is not None:
                        hits.append(_unsure(hit, "order"))
            if 2 <= len(phrase.words) <= GAPPED_MAX_WORDS and not any(
                w.any_cutoff or w.strict_case or w.acronym for w in phrase.words
            ):
                # "dollar-weighted recall" for "dollar recall", "the restaurant's historical
                # average" for "restaurant average": the words in order with a word or two
                # between them, in one clause; unsure, so meaning decides.
                for p, first, last in self._gapped(phrase):
                    hit = self._hit(pattern.text, phrase, p, first, last)
                    if hit is not None:
                        hits.append(_unsure(hit, "gap"))
        return [hit for hit in hits if hit is not None]

    def _gapped(self, phrase: Phrase) -> list[tuple[int, int, int]]:
        """(passage, first token, end token) where the phrase's words occur in order with at
        most GAP tokens between neighbours, no clause break among them, and at least one gap
        (the exact phrase is found by `_occurrences`)."""
        found = []
        words = phrase.words
        for p, i in self._by_key.get(words[0].key, ()):
            tokens, breaks = self._tokens[p], self._breaks[p]
            j, gapped = i, False
            for word in words[1:]:
                k = next(
                    (
                        k
                        for k in range(j + 1, min(len(tokens), j + GAP + 2))
                        if tokens[k].key == word.key
                    ),
                    None,
                )
                if k is None or any(breaks[m] for m in range(j + 1, k + 1)):
                    break
                gapped = gapped or k > j + 1
                j = k
            else:
                if gapped:
                    found.append((p, i, j + 1))
        return found

    def _hit(self, alias: str, phrase: Phrase, p: int, first: int, last: int) -> Hit | None:
        tokens = self._tokens[p]
        sure, doubt = True, None
        if len(phrase.words) == 1 and phrase.words[0].norm in AMBIGUOUS:
            sense = AMBIGUOUS[phrase.words[0].norm]
            around = {
                t.key
                for t in tokens[max(0, first - SENSE_WINDOW) : last + SENSE_WINDOW]
                if t is not tokens[first]
            }
            if around & sense.for_words:
                pass
            elif around & sense.against_words:
                return None  # the other meaning: not a mention of this concept at all
            else:
                sure, doubt = False, "sense"
        return Hit(
            alias=alias,
            passage=p,
            start=tokens[first].start,
            end=tokens[last - 1].end,
            sure=sure,
            doubt=doubt,
            negated=negated(tokens, self._breaks[p], first, last),
        )

    def _occurrences(self, phrase: Phrase, joined: bool = True) -> list[tuple[int, int, int]]:
        """(passage, first token, end token) of each place `phrase` is written."""
        found: set[tuple[int, int, int]] = set()
        words = phrase.words
        head = words[0]
        for p, i in self._by_key.get(head.key, ()):
            end = self._match_words(self._tokens[p], i, words)
            if end is not None:
                found.add((p, i, end))
        flat = "".join(w.norm for w in words)
        strict = any(w.strict_case for w in words)
        if joined and not any(w.any_cutoff for w in words):
            if len(words) > 1:  # written as one word: "timeouts" for "time out"
                for p, i in self._by_key.get(phrase.joined, ()):
                    token = self._tokens[p][i]
                    if not (strict and capitals(token.raw) < 2):
                        found.add((p, i, i + 1))
            for length in range(1, len(flat) + 1):
                for p, i in self._by_norm.get(flat[:length], ()):
                    end = self._match_joined(self._tokens[p], i, flat, phrase.joined, strict)
                    if end is not None and end - i != len(words):
                        found.add((p, i, end))
        return sorted(found)

    @staticmethod
    def _match_words(tokens: Sequence[Token], i: int, words: Sequence) -> int | None:
        """End of `words` written from token `i`; an article between two words is skipped
        ("hide the carousel" for "hide carousel")."""
        j = i
        for n, word in enumerate(words):
            if (
                n
                and j < len(tokens) - 1
                and tokens[j].norm in _ARTICLES
                and tokens[j].key != word.key  # the alias's own article ("area under the curve")
            ):
                j += 1
            if j >= len(tokens):
                return None
            token = tokens[j]
            if word.any_cutoff:
                if token.norm == "at" and j + 1 < len(tokens):
                    j += 1
                    token = tokens[j]
                if not (token.norm.isdigit() or token.norm == "k"):
                    return None
            elif token.key != word.key or (word.acronym and not word.same_acronym(token.norm)):
                return None
            if word.strict_case and capitals(token.raw) < 2 and not _versioned(tokens, j):
                return None
            j += 1
        return j

    @staticmethod
    def _match_joined(
        tokens: Sequence[Token], i: int, flat: str, joined: str, strict: bool
    ) -> int | None:
        """A run of tokens from `i` written as the phrase's words joined or split differently:
        "timeouts" for "time out", "ab-test" for "A/B test"."""
        written, raw = "", ""
        for j in range(i, len(tokens)):
            written += tokens[j].norm
            raw += tokens[j].raw
            if word_key(written) == joined and not (strict and capitals(raw) < 2):
                return j + 1
            if not flat.startswith(written):
                return None
        return None

    def _compound_hits(self, pattern: Pattern) -> list[Hit]:
        """Every part within one passage: sure when close together (and in order, if the alias
        asks for an order); unsure when in the wrong order or further apart."""
        per_part: list[dict[int, list[Hit]]] = []
        for alternatives in pattern.parts:
            by_passage: dict[int, list[Hit]] = defaultdict(list)
            for phrase in alternatives:
                for p, first, last in self._occurrences(phrase):
                    hit = self._hit(pattern.text, phrase, p, first, last)
                    if hit is not None:
                        by_passage[p].append(hit)
            per_part.append(by_passage)
        shared = set(per_part[0]).intersection(*per_part[1:])
        results = []
        for p in sorted(shared):
            best = None
            for combo in itertools.product(*(part[p] for part in per_part)):
                hit = self._combine(pattern, p, combo)
                rank = (hit.negated, not hit.sure)
                if best is None or rank < (best.negated, not best.sure):
                    best = hit
            if best is not None:
                results.append(best)
        return results

    def _combine(self, pattern: Pattern, p: int, combo: Sequence[Hit]) -> Hit:
        tokens = self._tokens[p]
        starts = [_token_at(tokens, hit.start) for hit in combo]
        ends = [_token_at(tokens, hit.end - 1) for hit in combo]
        span = max(ends) - min(starts) + 1
        in_order = all(a < b for a, b in itertools.pairwise(starts))
        doubt = None
        if span > WINDOW:
            doubt = "spread"
        elif pattern.ordered and not in_order:
            doubt = "order"
        elif any(not hit.sure for hit in combo):
            doubt = "sense"
        return Hit(
            alias=pattern.text,
            passage=p,
            start=min(hit.start for hit in combo),
            end=max(hit.end for hit in combo),
            sure=doubt is None,
            doubt=doubt,
            negated=any(hit.negated for hit in combo),
        )


def _versioned(tokens: Sequence[Token], j: int) -> bool:
    """A version or number follows ("dino v2", "yolo 8"): an everyday word with a version
    number is the model, whatever its case."""
    if j + 1 >= len(tokens):
        return False
    after = tokens[j + 1].norm
    return after.isdigit() or (after[:1] == "v" and after[1:].isdigit())


def _unsure(hit: Hit, doubt: str) -> Hit:
    return Hit(hit.alias, hit.passage, hit.start, hit.end, False, doubt, hit.negated)


def _token_at(tokens: Sequence[Token], char: int) -> int:
    for i, token in enumerate(tokens):
        if token.start <= char < token.end:
            return i
    return 0


def _clause_breaks(text: str, tokens: Sequence[Token]) -> list[bool]:
    """breaks[i]: a clause ends between tokens i-1 and i (breaks[0] and breaks[n] are True)."""
    breaks = [True]
    for before, after in itertools.pairwise(tokens):
        breaks.append(bool(_CLAUSE_BREAK_RE.search(text[before.end : after.start])))
    breaks.append(True)
    return breaks


def _unnegated_key_positions(
    tokens: Sequence[Token], breaks: Sequence[bool], keys: frozenset[str]
) -> list[int]:
    """Where the words of `keys` occur, leaving out every one in a clause where one of them is
    negated: in "no need to track cost against the advertiser's target" the negation reaches
    "track" and "cost" but not "target", yet the whole remark rules the concept out."""
    positions: list[int] = []
    clause = 0  # where the current clause starts
    ruled_out = False
    for i, token in enumerate(tokens):
        if breaks[i] or token.norm in CLAUSE_WORDS:
            clause, ruled_out = i, False
        if token.key not in keys:
            continue
        if ruled_out or negated(tokens, breaks, i, i + 1):
            ruled_out = True
            while positions and positions[-1] >= clause:
                positions.pop()  # earlier words of the same clause go with it
            continue
        positions.append(i)
    return positions
