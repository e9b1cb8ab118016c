"""Precision and recall of concept credits on the labelled phrasings in bench/matcher/.

Each phrasing is matched alone against its case's guide (every step's concepts). A credited
concept listed under `credit` is a true positive, one listed under `ok` or `also` is ignored, and
any other credited concept is a false positive; a `credit` concept not credited is a false
negative. `also` (in the later sets) holds what a second annotator, labelling the same text
without seeing the first labels or the matcher's output, saw shown or touched where the writer
listed nothing: a concept counts against the matcher only when neither of them saw it there.
Used by `tests/interviews/reports/test_matcher_eval.py` and by `python -m bench --only matcher`.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import yaml

HERE = Path(__file__).resolve().parent / "matcher"
# Sets never used for tuning, each written before a round of tuning; the third and fourth by
# writers who saw the case briefs but never the aliases.
HELD_OUT = ("held_out", "held_out_2", "held_out_3", "held_out_4")


def load_guides() -> dict[str, dict]:
    """Every case's checked guide, by slug, from casestudies/content."""
    import casestudies
    from casestudies.guide import parse_case_study

    content = Path(casestudies.__file__).parent / "content"
    guides = {}
    for path in sorted(content.glob("*.yaml")):
        parsed = parse_case_study(yaml.safe_load(path.read_text(encoding="utf-8")))
        guides[parsed["slug"]] = parsed["guide"]
    return guides


def load_set(name: str) -> list[dict]:
    """A labelled set by name; "tuning" is tuning.yaml with every tuning_*.yaml after it (the
    phrasings written for later rounds of tuning)."""
    paths = [HERE / f"{name}.yaml"]
    if name == "tuning":
        paths += sorted(HERE.glob("tuning_*.yaml"))
    return [entry for path in paths for entry in yaml.safe_load(path.read_text("utf-8")) or []]


def credited(coverage: Mapping[str, Any]) -> set[str]:
    return {found["name"] for step in coverage.values() for found in step["found"]}


def evaluate(
    entries: list[dict],
    guides: Mapping[str, dict],
    match: Callable[[dict, list[str]], Mapping[str, Any]],
) -> dict:
    """Counts, precision, recall and the mistakes, for `match(guide, texts) -> coverage`."""
    counts: Counter = Counter()
    by_kind: dict[str, Counter] = {}
    mistakes = []
    for entry in entries:
        guide = guides[entry["case"]]
        names = {c["name"] for s in guide["steps"].values() for c in s["key_concepts"]}
        wanted = set(entry.get("credit") or ())
        allowed = wanted | set(entry.get("ok") or ()) | set(entry.get("also") or ())
        unknown = (allowed | set(entry.get("not") or ())) - names
        if unknown:
            raise ValueError(f"{entry['case']}: unknown concept(s) {sorted(unknown)}")
        got = credited(match(guide, [entry["text"]]))
        tp, fp, fn = got & wanted, got - allowed, wanted - got
        kind = by_kind.setdefault(entry.get("kind", "?"), Counter())
        for bucket in (counts, kind):
            bucket["tp"] += len(tp)
            bucket["fp"] += len(fp)
            bucket["fn"] += len(fn)
        if fp or fn:
            mistakes.append(
                {"case": entry["case"], "text": entry["text"], "fp": sorted(fp), "fn": sorted(fn)}
            )
    return {
        **rates(counts),
        "phrasings": len(entries),
        "by_kind": {kind: rates(c) for kind, c in sorted(by_kind.items())},
        "mistakes": mistakes,
    }


def rates(counts: Mapping[str, int]) -> dict:
    """Precision and recall from true-positive, false-positive and false-negative counts."""
    tp, fp, fn = counts["tp"], counts["fp"], counts["fn"]
    return {
        "precision": round(tp / (tp + fp), 4) if tp + fp else 1.0,
        "recall": round(tp / (tp + fn), 4) if tp + fn else 1.0,
        "tp": tp,
        "fp": fp,
        "fn": fn,
    }
