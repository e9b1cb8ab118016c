"""Matcher benchmark: precision and recall of concept credits on the labelled phrasings in
bench/matcher/ (the whole set, the tuning part and the four held-out parts, each written before
a round of tuning), and the time the report's text analysis (coverage plus pitfall rules) takes
on a 45-minute session's writing, for this code and for the matcher before issue 11 (read from
git at BASELINE_REV) in the same run.

Needs no database: `python -m bench --only matcher`."""

from __future__ import annotations

import copy
import importlib.util
import random
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

from .matcher_eval import HELD_OUT, evaluate, load_guides, load_set, rates

BASELINE_REV = "1778d84"  # the last commit with the hand-written matcher
REPEATS = 5
BOARD_TEXTS, CHAT_MESSAGES = 300, 200
ROOT = Path(__file__).resolve().parent.parent


def _session_writing(guide: dict, seed: int = 7) -> list[str]:
    """What a candidate might write in 45 minutes: board labels and chat messages built from
    the labelled phrasings and the case's own hints, so aliases occur as often as in life."""
    rng = random.Random(seed)
    phrasings = [e["text"] for name in ("tuning", "held_out") for e in load_set(name)]
    hints = [h for step in guide["steps"].values() for h in step["hints"]]
    board = [rng.choice(phrasings)[: rng.randint(12, 60)] for _ in range(BOARD_TEXTS)]
    chat = [f"{rng.choice(phrasings)} {rng.choice(hints)}" for _ in range(CHAT_MESSAGES)]
    return board + chat


def _baseline_modules():
    """coverage and pitfalls as they were at BASELINE_REV, imported under other names."""
    out = tempfile.mkdtemp(prefix="matcher-baseline-")
    package = Path(out) / "baseline_reports"
    package.mkdir()
    (package / "__init__.py").write_text("")
    for name in ("coverage", "pitfalls"):
        source = subprocess.run(
            ["git", "show", f"{BASELINE_REV}:interviews/reports/{name}.py"],
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        (package / f"{name}.py").write_text(source)
    sys.path.insert(0, out)
    modules = []
    for name in ("coverage", "pitfalls"):
        spec = importlib.util.spec_from_file_location(
            f"baseline_reports.{name}", package / f"{name}.py"
        )
        module = importlib.util.module_from_spec(spec)
        sys.modules[spec.name] = module
        spec.loader.exec_module(module)
        modules.append(module)
    return modules


def _analyse(coverage_mod, pitfalls_mod, guide, texts, **kwargs):
    from casestudies.framework import STEP_KEYS, default_plan

    coverage = coverage_mod.concept_coverage(guide, texts, **kwargs)
    facts = pitfalls_mod.SessionFacts(
        plan=default_plan(),
        step_seconds=dict.fromkeys(STEP_KEYS, 45 * 60 / len(STEP_KEYS)),
        texts=texts,
        coverage=coverage,
        step_texts={"clarify": texts[:20]},
        visit_order=list(STEP_KEYS),
    )
    return pitfalls_mod.detect_pitfalls(facts)


def _timed(fn) -> tuple[float, float]:
    """(first call, median of the next REPEATS) in seconds."""
    started = time.perf_counter()
    fn()
    first = time.perf_counter() - started
    times = []
    for _ in range(REPEATS):
        started = time.perf_counter()
        fn()
        times.append(time.perf_counter() - started)
    return first, statistics.median(times)


def _figures(result: dict) -> dict:
    keys = ("precision", "recall", "tp", "fp", "fn", "phrasings")
    return {key: result[key] for key in keys}


def _cross_validated(entries: list[dict], guides: dict, match) -> dict:
    """The tuning set scored in two halves, each against guides whose concepts have lost the
    examples taken from that half: how the examples do on tuning phrasings they do not hold
    (the tuning set's own figure is in-sample, since its phrasings are the examples)."""
    total = Counter()
    for half in (0, 1):
        part = entries[half::2]
        held = {" ".join(e["text"].split()) for e in part}
        trimmed = copy.deepcopy(guides)
        for guide in trimmed.values():
            for step in guide["steps"].values():
                for concept in step["key_concepts"]:
                    concept["examples"] = [x for x in concept.get("examples", ()) if x not in held]
        result = evaluate(part, trimmed, match)
        total.update({key: result[key] for key in ("tp", "fp", "fn")})
    return {**rates(total), "phrasings": len(entries)}


def run_matcher() -> dict:
    from interviews.reports.analysis import coverage, pitfalls
    from interviews.reports.analysis.matching import semantic

    load_started = time.perf_counter()
    semantic.embedder()  # loaded once per process, as in a worker
    model_load = time.perf_counter() - load_started
    sets = {name: load_set(name) for name in ("tuning", *HELD_OUT)}
    sets["whole"] = [entry for entries in sets.values() for entry in entries]
    guides = {"content": load_guides()}
    try:
        baseline = _baseline_modules()
    except (subprocess.CalledProcessError, FileNotFoundError, OSError):
        baseline = None  # no git history here: report this code only

    accuracy: dict = {}
    for guide_name, guide_set in guides.items():
        for set_name, entries in sets.items():
            now = evaluate(entries, guide_set, coverage.concept_coverage)
            row = {"matcher": _figures(now), "by_kind": now["by_kind"]}
            if baseline:
                row["before"] = _figures(evaluate(entries, guide_set, baseline[0].concept_coverage))
            accuracy[f"{guide_name}/{set_name}"] = row

    accuracy["content/tuning_cross_validated"] = {
        "matcher": _cross_validated(sets["tuning"], guides["content"], coverage.concept_coverage)
    }

    guide = guides["content"]["ad-click-prediction"]
    texts = _session_writing(guide)
    timing = {
        "texts": len(texts),
        "semantic_model_load_seconds": round(model_load, 3),
    }
    first, median = _timed(lambda: _analyse(coverage, pitfalls, guide, texts))
    timing["matcher_seconds"] = round(median, 4)
    timing["matcher_first_call_seconds"] = round(first, 4)
    _, median = _timed(lambda: _analyse(coverage, pitfalls, guide, texts, use_meaning=False))
    timing["matcher_words_only_seconds"] = round(median, 4)
    if baseline:
        _, median = _timed(lambda: _analyse(baseline[0], baseline[1], guide, texts))
        timing["before_seconds"] = round(median, 4)

    whole = accuracy["content/whole"]["matcher"]
    tuning = accuracy["content/tuning_cross_validated"]["matcher"]
    held = "; ".join(
        f"{name} {f['phrasings']}: {f['precision']:.3f} / {f['recall']:.3f}"
        for name in HELD_OUT
        for f in [accuracy[f"content/{name}"]["matcher"]]
    )
    print(
        f"matcher on {whole['phrasings']} labelled phrasings: precision {whole['precision']:.3f}, "
        f"recall {whole['recall']:.3f} ({held}; tuning {tuning['phrasings']} with its own "
        f"phrasings out of the examples: {tuning['precision']:.3f} / {tuning['recall']:.3f}); "
        "text analysis of a report "
        f"({len(texts)} texts) "
        f"{timing['matcher_seconds']:.3f} s"
        + (f" (before: {timing['before_seconds']:.3f} s)" if baseline else "")
        + f"; model load once per process {model_load:.2f} s"
    )
    return {
        "semantic": semantic.status(),
        "accuracy": accuracy,
        "timing": timing,
        "baseline_rev": BASELINE_REV if baseline else None,
    }
