"""Aliases as written by content authors, compiled into what the index looks for.

An alias is a phrase ("negative downsampling"), or several parts that must all occur close
together in one piece of writing:

- `downsample + recalibrate`: every part, in any order, within WINDOW tokens;
- `downsample negatives -> recalibrate` (or `→`): the parts in this order within WINDOW tokens;
- `downsample|subsample + recalibrate`: `|` separates alternatives inside a part.

Case: an alias word written with two or more capitals ("mAP", "ANN", "CLIP") whose lower-case
spelling is an everyday word ("map", "ann", "clip") only matches text that also has two or more
capitals in that word, so "map the ids" is not the metric. Every other word matches in any case
("ndcg@10" is NDCG). `@k` in an alias ("recall@k") matches any cut-off: "recall@100",
"recall at 10", "recall@K".
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from .tokens import capitals, tokenize, word_key

WINDOW = 12  # tokens that the parts of a compound alias may span
_ORDERED_RE = re.compile(r"\s+(?:->|→)\s+")
_ALL_OF_RE = re.compile(r"\s+\+\s+")

# Lower-case spellings of acronyms that are also ordinary words or names.
EVERYDAY_WORDS = frozenset(
    {
        "map",
        "ann",
        "clip",
        "rag",
        "lime",
        "sift",
        "dino",
        "hit",
        "cat",
        "cap",
        "eta",
        "adam",
        "rope",
        "sam",
        "din",
        "sim",
        "mind",
        "ids",
        "pr",
        "cv",
        "pos",
        "dice",
        "lift",
        "ram",
        "dim",
        "net",
        "wide",
        "deep",
        "can",
        "tag",
        "gem",
        "bert",
        "albert",
        "elastic",
        "glue",
        "swin",
        "align",
        "tiger",
        "cold",
        "fair",
        "spark",
        "flink",
        "hive",
        "redis",
        "it",
        "us",
        "am",
        "ad",
        "ads",
        "lr",
        "ml",
        "ai",
        "rank",
        "pin",
        "ple",
        "mae",
        "mse",
        "rig",
        "tta",
        "dau",
        "mau",
        "ltr",
        "mtl",
        "pdq",
        "wbf",
        "ivt",
        "did",
        "bin",
        "mint",
    }
)
# An alias word in capitals ("IPS", "ETS", "ACLs"): an acronym, compared as written, since
# stemming would make "IPS" (inverse propensity scoring) meet "IP" (an address).
_ACRONYM_RE = re.compile(r"[A-Z]{2,}s?")


@dataclass(frozen=True, slots=True)
class Word:
    norm: str
    key: str
    strict_case: bool  # must be written with two or more capitals
    any_cutoff: bool  # the "k" of "@k": any number (or "k") matches
    # An acronym ("IPS", "ACLs"), compared as written in its singular ("ips", "acl"), else "".
    acronym: str = ""

    def same_acronym(self, norm: str) -> bool:
        """Whether a written word (its `norm`) is this acronym or its plural: "IPS" is "ips"
        and "IPSs" but not "ip"; "ACL" is also "ACLs", and "ETAs" also "ETA"."""
        return norm in (self.acronym, self.acronym + "s")


@dataclass(frozen=True, slots=True)
class Phrase:
    words: tuple[Word, ...]
    joined: str  # key of all words written together, for "timeout" vs "time out"


@dataclass(frozen=True, slots=True)
class Pattern:
    text: str  # the alias as the author wrote it
    parts: tuple[tuple[Phrase, ...], ...]  # each part: its alternatives
    ordered: bool

    @property
    def compound(self) -> bool:
        return len(self.parts) > 1


def _phrase(text: str) -> Phrase | None:
    words = []
    for token in tokenize(text):
        before = text[token.start - 1 : token.start] if token.start else ""
        words.append(
            Word(
                norm=token.norm,
                key=token.key,
                strict_case=capitals(token.raw) >= 2 and token.norm in EVERYDAY_WORDS,
                any_cutoff=token.norm == "k" and before == "@",
                acronym=_acronym(token.raw, token.norm),
            )
        )
    if not words:
        return None
    return Phrase(words=tuple(words), joined=word_key("".join(w.norm for w in words)))


def _acronym(raw: str, norm: str) -> str:
    if not _ACRONYM_RE.fullmatch(raw) or norm != raw.lower():
        return ""
    return norm[:-1] if raw.endswith("s") else norm


@lru_cache(maxsize=8192)
def compile_alias(alias: str) -> Pattern | None:
    """The pattern for one alias, or None if it holds no letters or digits."""
    ordered = bool(_ORDERED_RE.search(alias))
    raw_parts = _ORDERED_RE.split(alias) if ordered else _ALL_OF_RE.split(alias)
    parts = []
    for raw in raw_parts:
        alternatives = tuple(p for p in (_phrase(alt) for alt in raw.split("|")) if p)
        if not alternatives:
            return None
        parts.append(alternatives)
    if not parts:
        return None
    return Pattern(text=alias, parts=tuple(parts), ordered=ordered and len(parts) > 1)
