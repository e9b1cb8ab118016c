"""Pitfall rules on hand-built sessions: each fires when it should and stays quiet otherwise."""

from dataclasses import replace

import pytest

from casestudies.framework import STEP_KEYS, default_plan
from interviews.reports.analysis.pitfalls import RULES, SessionFacts, detect_pitfalls

# What a sound candidate wrote, by topic; tests drop or replace one topic at a time.
SOUND_TEXTS = {
    "scale": "10M DAU, p99 < 200 ms for the whole page",
    "labels": "Labels: clicks as implicit feedback, 7-day window",
    "baseline": "Start with a logistic regression baseline",
    "model": "Two-tower retrieval + DCN ranker",
    "metric": "Offline: NDCG@10 and recall@100",
    "online": "Online: A/B test on watch time, 2 weeks",
    "failure": "If the ranker times out, fall back to cached results",
    "monitoring": "Dashboards for feature drift; retrain weekly",
}
SOUND_SECONDS = {
    "clarify": 300,
    "frame": 300,
    "data": 480,
    "model": 600,
    "evaluation": 360,
    "serving": 360,
    "monitoring": 300,
}


def session(drop=(), texts=None, seconds=None, **changes) -> SessionFacts:
    """A sound 45-minute session, changed as the test needs."""
    written = dict(SOUND_TEXTS)
    for topic in drop:
        del written[topic]
    written.update(texts or {})
    spent = {**SOUND_SECONDS, **(seconds or {})}
    facts = SessionFacts(
        plan=default_plan(),
        step_seconds={k: v for k, v in spent.items() if v is not None},
        texts=list(written.values()),
        step_texts={"clarify": [written["scale"]] if "scale" in written else []},
        visit_order=[k for k in STEP_KEYS if spent.get(k)],
    )
    return replace(facts, **changes)


def codes(facts: SessionFacts) -> list[str]:
    return [p["code"] for p in detect_pitfalls(facts)]


def fired(facts: SessionFacts, code: str) -> dict | None:
    return next((p for p in detect_pitfalls(facts) if p["code"] == code), None)


def test_a_sound_session_has_no_pitfalls():
    assert detect_pitfalls(session()) == []


def test_every_pitfall_has_code_title_why_and_evidence():
    everything_wrong = SessionFacts(
        plan=default_plan(),
        step_seconds={"clarify": 30, "model": 1500, "data": 10, "evaluation": 5},
        texts=["a big neural network"],
        step_texts={"clarify": ["who are the users?"]},
    )
    pitfalls = detect_pitfalls(everything_wrong)
    assert len(pitfalls) == len(RULES)
    assert len({p["code"] for p in pitfalls}) == len(RULES)
    for pitfall in pitfalls:
        assert set(pitfall) == {"code", "title", "why", "evidence", "quotes"}
        assert all(
            isinstance(pitfall[k], str) and len(pitfall[k]) > 10
            for k in ("code", "title", "why", "evidence")
        )
        assert isinstance(pitfall["quotes"], list)


# --- jumped to modelling ------------------------------------------------------------------------


def test_jumped_to_model_fires_under_two_minutes_of_clarifying():
    pitfall = fired(session(seconds={"clarify": 119}), "jumped-to-model")
    assert pitfall is not None
    assert "2.0 min (planned 5 min)" in pitfall["evidence"]


def test_jumped_to_model_is_quiet_at_two_minutes_or_when_model_was_never_reached():
    assert "jumped-to-model" not in codes(session(seconds={"clarify": 120}))
    never_modelled = session(seconds={"clarify": 30, "model": None, "evaluation": None})
    assert "jumped-to-model" not in codes(never_modelled)


def test_jumped_to_model_names_the_steps_skipped_on_the_way():
    facts = session(
        seconds={"clarify": 60}, visit_order=["clarify", "model", "frame", "data", "evaluation"]
    )
    evidence = fired(facts, "jumped-to-model")["evidence"]
    assert "reached before frame as an ml task and data preparation" in evidence


# --- monitoring ---------------------------------------------------------------------------------


def test_monitoring_never_reached_is_reported_as_skipped():
    pitfall = fired(session(seconds={"monitoring": None}), "monitoring-skipped")
    assert pitfall["title"] == "Monitoring skipped"
    assert "never reached" in pitfall["evidence"]


def test_monitoring_under_two_minutes_is_reported_as_rushed():
    pitfall = fired(session(seconds={"monitoring": 90}), "monitoring-skipped")
    assert pitfall["title"] == "Monitoring rushed (under 2 minutes)"
    assert "1.5 min" in pitfall["evidence"]


def test_monitoring_of_two_minutes_is_enough():
    assert "monitoring-skipped" not in codes(session(seconds={"monitoring": 120}))


# --- time on the model --------------------------------------------------------------------------


def test_model_overweight_fires_above_forty_percent():
    # the other steps take 2100 s; model 1460 s of 3560 s = 41%
    pitfall = fired(session(seconds={"model": 1460}), "model-overweight")
    assert pitfall is not None
    assert "(41%)" in pitfall["evidence"] and "plan gave it 22%" in pitfall["evidence"]


def test_model_overweight_is_quiet_at_exactly_forty_percent_and_with_no_time():
    assert "model-overweight" not in codes(session(seconds={"model": 1400}))  # 1400 / 3500
    untimed = session(seconds=dict.fromkeys(SOUND_SECONDS))
    assert "model-overweight" not in codes(untimed)


# --- evaluation metric --------------------------------------------------------------------------


def test_no_metric_fires_when_nothing_written_names_one():
    assert "no-evaluation-metric" in codes(session(drop=["metric", "online"]))


@pytest.mark.parametrize(
    "written",
    ["precision@k per query", "ROC-AUC", "we track logloss", "F1 on the holdout", "MAP@10"],
)
def test_no_metric_is_quiet_when_a_metric_word_appears(written):
    facts = session(drop=["metric", "online"], texts={"extra": written})
    assert "no-evaluation-metric" not in codes(facts)


def test_lower_case_map_is_a_verb_not_a_metric():
    facts = session(drop=["metric", "online"], texts={"extra": "map user ids to embeddings"})
    assert "no-evaluation-metric" in codes(facts)


def test_an_evaluation_key_concept_from_coverage_counts_as_a_metric():
    coverage = {"evaluation": {"found": [{"name": "Offline ranking", "matched": "mrr"}]}}
    facts = session(drop=["metric", "online"], coverage=coverage)
    assert "no-evaluation-metric" not in codes(facts)


# --- failure handling ---------------------------------------------------------------------------


def test_no_failure_handling_fires_without_any_fallback_words():
    assert "no-failure-handling" in codes(session(drop=["failure"]))


@pytest.mark.parametrize(
    "written",
    [
        "circuit breaker around the feature store",
        "retries with backoff",
        "time-out of 50 ms",
        "serve defaults for missing features",
        "graceful degradation to the popularity list",
        "Caching user embeddings",
    ],
)
def test_no_failure_handling_is_quiet_when_any_failure_answer_is_written(written):
    assert "no-failure-handling" not in codes(session(drop=["failure"], texts={"x": written}))


# --- extra rules --------------------------------------------------------------------------------


def test_no_baseline_fires_once_the_model_step_is_reached_without_one():
    assert "no-baseline" in codes(session(drop=["baseline"]))
    assert "no-baseline" not in codes(session(drop=["baseline"], texts={"x": "a heuristic v0"}))
    assert "no-baseline" not in codes(
        session(drop=["baseline"], seconds={"model": None, "evaluation": None})
    )


@pytest.mark.parametrize("written", ["ab testing for 2 weeks", "online experiment", "A-B tests"])
def test_no_online_test_is_quiet_when_an_experiment_is_planned(written):
    assert "no-online-test" not in codes(session(drop=["online"], texts={"x": written}))


def test_no_online_test_fires_only_once_evaluation_was_reached():
    assert "no-online-test" in codes(session(drop=["online"]))
    assert "no-online-test" not in codes(session(drop=["online"], seconds={"evaluation": None}))


def test_no_label_source_fires_when_data_was_reached_without_labels():
    assert "no-label-source" in codes(session(drop=["labels"]))
    assert "no-label-source" not in codes(
        session(drop=["labels"], texts={"x": "ground-truth from annotators"})
    )
    assert "no-label-source" not in codes(session(drop=["labels"], seconds={"data": None}))


@pytest.mark.parametrize(
    "clarify_text",
    [
        "5k QPS at peak",
        "latency budget 100ms",
        "catalogue of 2 million items",
        "~3% CTR",
        "millions of sellers",
        "1,200 requests/s",
    ],
)
def test_numbers_in_clarify_are_recognised(clarify_text):
    assert "no-numbers-in-clarify" not in codes(session(step_texts={"clarify": [clarify_text]}))


@pytest.mark.parametrize("clarify_text", ["who are the users?", "DCN v2 later", "step 3 of 7"])
def test_clarify_without_scale_numbers_fires(clarify_text):
    pitfall = fired(session(step_texts={"clarify": [clarify_text]}), "no-numbers-in-clarify")
    assert pitfall is not None and "Of 1 thing(s)" in pitfall["evidence"]


def test_numbers_rule_is_off_when_per_step_texts_are_unknown():
    assert "no-numbers-in-clarify" not in codes(session(drop=["scale"], step_texts=None))
    assert "no-numbers-in-clarify" in codes(session(drop=["scale"]))


# --- fixes: one phrase, one meaning --------------------------------------------------------------


def test_popularity_as_a_fallback_is_not_also_a_baseline():
    facts = session(drop=["baseline", "failure"], texts={"x": "fall back to popularity if down"})
    got = codes(facts)
    assert "no-failure-handling" not in got
    assert "no-baseline" in got
    assert "no-baseline" not in codes(
        session(drop=["baseline"], texts={"x": "popularity ranking as the baseline"})
    )


@pytest.mark.parametrize("written", ["default settings everywhere", "popularity matters"])
def test_default_or_popularity_alone_is_not_a_failure_plan(written):
    assert "no-failure-handling" in codes(session(drop=["failure"], texts={"x": written}))


@pytest.mark.parametrize(
    "written",
    [
        "fail closed: hold the panorama",
        "classifier down -> fail open and queue for review",
        "broken jobs go to quarantine",
        "serve stale results from yesterday",
        "DCN-v2 ranker with a 30 ms deadline",
    ],
)
def test_failing_open_or_closed_quarantine_and_stale_results_are_failure_handling(written):
    assert "no-failure-handling" not in codes(session(drop=["failure"], texts={"x": written}))


def test_a_scale_number_is_not_an_online_experiment():
    facts = session(drop=["online"], texts={"scale": "700M DAU, 2x peak"})
    assert "no-online-test" in codes(facts)


def test_a_negated_mention_fires_the_rule_and_is_quoted():
    facts = session(drop=["failure"], texts={"x": "no fallback: if the model is down we wait"})
    pitfall = fired(facts, "no-failure-handling")
    assert pitfall["quotes"][0]["quote"] == "no fallback: if the model is down we wait"
    assert "only to rule it out" in pitfall["evidence"]


@pytest.mark.parametrize("clarify_text", ["publish within 72 hours", "fixes live in 24h", "2x"])
def test_durations_and_multipliers_are_numbers_in_clarify(clarify_text):
    assert "no-numbers-in-clarify" not in codes(session(step_texts={"clarify": [clarify_text]}))


def test_no_numbers_quotes_what_was_written_while_clarifying():
    pitfall = fired(
        session(step_texts={"clarify": ["who are the users?"]}), "no-numbers-in-clarify"
    )
    assert [q["quote"] for q in pitfall["quotes"]] == ["who are the users?"]


# --- per-case rules -------------------------------------------------------------------------------


def street_view_rules():
    from pathlib import Path

    import yaml

    from casestudies.guide import _pitfall_rules

    path = Path(__file__).parent / "fixtures" / "street_view_pitfall_rules.yaml"
    return _pitfall_rules(yaml.safe_load(path.read_text())["pitfall_rules"])


def test_a_case_can_turn_the_online_test_rule_off():
    facts = session(drop=["online"], rules=street_view_rules())
    assert "no-online-test" in codes(session(drop=["online"]))
    assert "no-online-test" not in codes(facts)


def test_a_case_can_add_terms_to_a_rule():
    texts = {"x": "beat the old detector's recall first"}
    assert "no-baseline" in codes(session(drop=["baseline"], texts=texts))
    assert "no-baseline" not in codes(
        session(drop=["baseline"], texts=texts, rules=street_view_rules())
    )


def test_a_case_can_replace_a_rules_terms():
    rules = {"no-label-source": {"terms": ["user reports"]}}
    assert "no-label-source" in codes(session(rules=rules))  # "Labels: clicks" no longer counts
    facts = session(rules=rules, texts={"x": "user reports as labels"})
    assert "no-label-source" not in codes(facts)


def test_rule_codes_are_the_ones_cases_can_configure():
    from casestudies.guide import PITFALL_RULE_CODES, TEXT_PITFALL_RULES
    from interviews.reports.analysis.pitfalls import TEXT_RULE_TERMS

    assert tuple(code for code, _ in RULES) == PITFALL_RULE_CODES
    assert set(TEXT_RULE_TERMS) == set(TEXT_PITFALL_RULES)
