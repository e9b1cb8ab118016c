"""The words to bias the recognizer towards: the case's key-concept names and aliases.

Whisper hears "NDCG" as "NBCG" and "eCPM" as "ECPM" unless told the vocabulary; faster-whisper's
`hotwords` puts it in the decoder's prompt. The prompt holds about 220 tokens, less than a whole
case's vocabulary, so it is filled in order of need: the current step's concepts first, then the
terms a recognizer cannot guess from ordinary English (acronyms, mixed case, digits), then the
other names.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from casestudies.framework import STEP_KEYS

# About 150 tokens of the prompt's 223: room for the previous text the decoder also conditions on.
MAX_HOTWORD_CHARS = 450
_OPERATORS = re.compile(r"\s*(?:\+|->)\s*")  # the matcher's alias syntax ("a + b", "a -> b")


def _technical(term: str) -> bool:
    """An acronym or a term in mixed case or with digits (NDCG, eCPM, p99, PR-AUC)."""
    return bool(re.search(r"[A-Z]{2}|[a-z][A-Z]|\d", term))


def _concepts(guide: Mapping[str, Any], step: str | None) -> list[tuple[bool, dict]]:
    steps = guide.get("steps") or {}
    ordered = [key for key in STEP_KEYS if key in steps]
    return [
        (key == step, concept)
        for key in ordered
        for concept in (steps[key] or {}).get("key_concepts") or ()
    ]


def hotwords_for(
    guide: Mapping[str, Any], step: str | None = None, max_chars: int = MAX_HOTWORD_CHARS
) -> str:
    """Comma-separated names and aliases of the guide's key concepts, the most useful first,
    each once (case-insensitively), at most `max_chars` long."""
    concepts = _concepts(guide, step)
    here = [term for current, c in concepts if current for term in (c["name"], *c["aliases"])]
    everywhere = [term for _, c in concepts for term in (c["name"], *c.get("aliases", ()))]
    ranked = [
        *here,
        *(term for term in everywhere if _technical(term)),
        *(c["name"] for _, c in concepts),
        *everywhere,
    ]
    chosen: list[str] = []
    seen: set[str] = set()
    length = 0
    for raw in ranked:
        term = _OPERATORS.sub(" ", str(raw)).strip()
        key = term.casefold()
        if not term or key in seen:
            continue
        if length + len(term) + 2 > max_chars:
            continue
        seen.add(key)
        chosen.append(term)
        length += len(term) + 2
    return ", ".join(chosen)
