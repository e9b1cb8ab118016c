"""The concept matcher's rules, one behaviour per test (interviews.reports.analysis.matching)."""

import pytest

from interviews.reports.analysis.coverage import Passage, concept_coverage
from interviews.reports.analysis.matching import TextIndex
from interviews.reports.analysis.matching import semantic as semantic_signal
from interviews.reports.analysis.matching.quantities import quantities
from interviews.reports.analysis.matching.tokens import tokenize


def found(written, *aliases, name="Concept"):
    g = {"steps": {"data": {"key_concepts": [{"name": name, "aliases": list(aliases)}]}}}
    return concept_coverage(g, written if isinstance(written, list) else [written])["data"]["found"]


@pytest.mark.parametrize(
    ("alias", "text"),
    [
        ("DINOv2", "fine-tune dino v2"),
        ("DINOv2", "DINO-v2 backbone"),
        ("YOLO", "YOLOv8 with a small head"),
        ("ResNet", "ResNet50 backbone"),
        ("ResNet-50", "resnet50"),
        ("DCN", "DCNv2 ranker"),
        ("recall@k", "recall@100 on the candidates"),
        ("recall@k", "Recall at 50"),
        ("NDCG", "ndcg@10"),
        ("normalization", "feature normalisation"),
        ("labeling guidelines", "labelling guidelines"),
        ("color jitter", "colour jitter"),
        ("catalog coverage", "catalogue coverage"),
        ("analyze", "we analyse errors"),
        ("recalibrate", "recalibration after sampling"),
        ("negative downsampling", "downsample negs"),
        # an article that is part of the alias
        ("area under the curve", "I would report the area under the curve per campaign"),
        ("human-in-the-loop", "keep a human-in-the-loop review queue"),
        ("fraction of the face covered", "score each box by the fraction of the face covered"),
        ("answerability", "is the question answerable?"),
    ],
)
def test_spelling_versions_cutoffs_stems_and_articles_in_aliases_match(alias, text):
    assert TextIndex([text]).contains(alias)


@pytest.mark.parametrize(
    ("alias", "text"),
    [
        ("mAP", "map user ids to embeddings"),
        ("mAP", "a Map of the city"),
        ("CLIP", "clip the gradients"),
        ("randomization", "random crops"),
        ("answerability", "tokens per answer"),
        ("explainability", "explain the decision"),
        ("recall@k", "recall is what matters"),
        # an acronym is not stemmed into another one
        ("IPS", "fall back to the IP address's city"),
        ("OOS", "out of the OO design"),
        ("DiD", "log who did it"),
    ],
)
def test_everyday_words_and_different_words_do_not_match(alias, text):
    assert not TextIndex([text]).contains(alias)


def test_ise_words_that_are_not_british_ize_keep_their_spelling():
    assert [t.norm for t in tokenize("supervise precise advertise normalise")] == [
        "supervise",
        "precise",
        "advertise",
        "normalize",
    ]


def test_acronyms_with_capitals_match_their_written_forms():
    assert TextIndex(["mAP@10 on the test set"]).contains("mAP")
    assert TextIndex(["MAP and MRR"]).contains("mAP")
    assert TextIndex(["CLIP ViT-B/16"]).contains("CLIP")
    assert TextIndex(["ACLs synced from the source"]).contains("ACL")
    assert TextIndex(["weight by ips"]).contains("IPS")
    assert TextIndex(["ETA per order"]).contains("ETAs")


@pytest.mark.parametrize(
    "text",
    [
        "no fallback, we just fail",
        "not using a fallback",
        "without any fallback",
        "we won't need a fallback",
        "fallbacks aren't needed",
        "fallback: not required",
        "skip the fallback",
        "a fallback doesn't matter here",
        "we can ignore the fallback for now",
        "we don't need a canary or a fallback",
        "the fallback isn't important since we rarely fail",
        "honestly I don't think we need a fallback",
        "a fallback isn't really a concern for an internal tool",
        "the fallback I wouldn't worry about",
        "we won't bother checking if the fallback works",
    ],
)
def test_negated_mentions_are_not_credited(text):
    assert not TextIndex([text]).contains("fallback")
    assert TextIndex([text]).negated_hits(["fallback"])


@pytest.mark.parametrize(
    "text",
    [
        "no cache, fallback to popularity",
        "not only a fallback but also retries",
        "fallback within no more than 50 ms",
        "if there's no feature, use the fallback",
        "I think we need a fallback",
        "we don't know yet, but I think we need a fallback",
    ],
)
def test_negation_stops_at_the_clause_and_ignores_fixed_phrases(text):
    assert TextIndex([text]).contains("fallback")


OCR_CASE = {
    "steps": {
        "data": {
            "key_concepts": [
                {"name": "OCR for embedded text", "aliases": ["OCR", "text in images"]},
                {"name": "Leakage-free features", "aliases": ["future leakage", "as of time"]},
            ]
        }
    }
}


def _credited(text):
    coverage = concept_coverage(OCR_CASE, [text], use_meaning=False)
    return {found["name"] for step in coverage.values() for found in step["found"]}


def test_a_sentence_that_dismisses_a_concept_credits_it_nowhere():
    assert _credited("we need OCR: text in images carries the price") == {"OCR for embedded text"}
    assert not _credited("we don't need OCR, text in images is rare")
    # only that sentence: the next one may still bring it in
    assert _credited("we don't need OCR yet. Later, text in images matters.") == {
        "OCR for embedded text"
    }


def test_a_concept_put_in_the_negative_is_still_credited():
    assert _credited("features as of time t, no future leakage") == {"Leakage-free features"}


def test_compound_alias_needs_every_part_close_together():
    alias = "downsample + recalibrate"
    assert TextIndex(["downsample negatives, then recalibrate"]).contains(alias)
    assert not TextIndex(["downsample negatives to 10%"]).contains(alias)
    assert not TextIndex(["downsample negatives w/o recalibration"]).contains(alias)
    assert not TextIndex(["downsample negatives", "recalibrate"]).contains(alias)


def test_ordered_alias_is_sure_in_order_and_unsure_the_other_way_round():
    alias = "downsample negatives -> recalibrate"
    (hit,) = TextIndex(["downsample negs → recalibrate"]).hits(alias)
    assert hit.sure
    (hit,) = TextIndex(["recalibrate, then downsample negatives"]).hits(alias)
    assert not hit.sure and hit.doubt == "order"


def test_far_apart_parts_are_unsure():
    text = "we downsample " + "and then a lot of other words about the data " * 3 + "recalibrate"
    (hit,) = TextIndex([text]).hits("downsample + recalibrate")
    assert hit.doubt == "spread"


def test_ann_meaning_a_neural_network_is_not_a_nearest_neighbour_index():
    assert not TextIndex(["ANN with 3 hidden layers"]).contains("ANN")
    (hit,) = TextIndex(["ANN index over item vectors"]).hits("ANN")
    assert hit.sure


def test_the_longest_match_claims_the_words():
    g = {
        "steps": {
            "serving": {"key_concepts": [{"name": "Fallback", "aliases": ["fallback"]}]},
            "monitoring": {
                "key_concepts": [{"name": "Fallback rate", "aliases": ["fallback rate"]}]
            },
        }
    }
    result = concept_coverage(g, ["alert on fallback rate per region"])
    assert result["serving"]["found"] == []
    assert [f["name"] for f in result["monitoring"]["found"]] == ["Fallback rate"]


def test_found_concepts_carry_the_quote_source_time_and_step():
    passage = Passage(
        "Isotonic calibration on top",
        source="board",
        at="2026-01-01T10:00:00Z",
        step="model",
        ref="el-1",
    )
    (credit,) = found([passage], "Isotonic", name="Post-hoc calibration")
    assert credit["evidence"] == [
        {
            "quote": "Isotonic calibration on top",
            "source": "board",
            "at": "2026-01-01T10:00:00Z",
            "step": "model",
        }
    ]
    assert credit["signal"] == "words"


def test_long_writing_is_quoted_as_an_excerpt_around_the_mention():
    text = "x " * 200 + "isotonic regression" + " y" * 200
    index = TextIndex([text])
    quote = index.quote(index.find("isotonic"))
    assert "isotonic regression" in quote and len(quote) <= 170 and quote.startswith("…")


def test_tokens_keep_offsets_into_the_original_text():
    text = "Café w/o recalibration, DINOv2"
    tokens = tokenize(text)
    assert [text[t.start : t.end] for t in tokens] == ["Café", "w/o", "recalibration", "DINO", "v2"]
    assert [t.raw for t in tokens] == ["Cafe", "w/o", "recalibration", "DINO", "v2"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("publish within 72 hours", ["72 hours"]),
        ("fix live in 24h", ["24h"]),
        ("2x the traffic", ["2x"]),
        ("10M DAU, 5k QPS, p99 < 200 ms", ["10M", "5k", "200 ms"]),
        ("1,200 requests/s", ["1,200 requests"]),
        ("step 3 of 7", []),
        ("DCN v2", []),
    ],
)
def test_quantities_are_numbers_with_units(text, expected):
    assert quantities(text) == expected


def test_semantic_signal_loads_the_packaged_model_and_ranks_meaning():
    model = semantic_signal.embedder()
    assert model is not None, semantic_signal.status()
    near, far = model.similarity(
        "serve cached results when the ranker is down",
        ["fallback and graceful degradation when a service fails", "the weather is sunny"],
    )
    assert near > far


def test_without_the_semantic_signal_the_report_says_so(monkeypatch):
    monkeypatch.setenv("MOCKROOM_SEMANTIC", "off")
    semantic_signal.reset_for_tests()
    try:
        assert semantic_signal.status() == {
            "available": False,
            "model": semantic_signal.MODEL_NAME,
            "reason": "turned off (MOCKROOM_SEMANTIC=off)",
        }
        # words alone still decide: an ambiguous ANN with no context counts
        assert found("ANN", "ANN")[0]["signal"] == "words"
    finally:
        monkeypatch.delenv("MOCKROOM_SEMANTIC")
        semantic_signal.reset_for_tests()


def test_an_everyday_word_alias_in_longer_writing_must_fit_the_meaning_around_it():
    from pathlib import Path

    import yaml

    import casestudies
    from casestudies.guide import parse_case_study

    path = Path(casestudies.__file__).parent / "content" / "video-recommendation.yaml"
    g = parse_case_study(yaml.safe_load(path.read_text(encoding="utf-8")))["guide"]

    def credited(text):
        return {f["name"] for step in concept_coverage(g, [text]).values() for f in step["found"]}

    # "satisfaction" is an alias of the business objective; here the word is about a batch job.
    concept = "Business objective and satisfaction"
    assert concept not in credited(
        "to my satisfaction the GPU cluster finished the batch job overnight"
    )
    assert concept in credited("satisfaction")  # nothing else to weigh


def test_a_precise_phrase_of_plain_words_counts_inside_longer_writing():
    # three or more words name the concept; only one- and two-word plain aliases are weighed
    g = {
        "steps": {
            "evaluation": {
                "key_concepts": [
                    {"name": "Ranking quality", "aliases": ["area under the curve"]},
                    {"name": "Calibration", "aliases": ["reliability diagram"]},
                ]
            }
        }
    }
    text = "beside the reliability diagram I would look at the area under the curve per campaign"
    names = {f["name"] for f in concept_coverage(g, [text])["evaluation"]["found"]}
    assert "Ranking quality" in names


def test_filler_around_a_plain_alias_leaves_the_words_to_decide():
    (credit,) = found("We need retention target here.", "retention target")
    assert credit["signal"] == "words"


def test_an_ambiguous_acronym_written_alone_counts_with_the_semantic_signal_on():
    assert semantic_signal.embedder() is not None, semantic_signal.status()
    assert found("ANN", "ANN", name="Approximate nearest neighbour search")
    assert not found("ANN with 3 hidden layers", "ANN", name="Approximate nearest neighbour search")


def test_words_of_a_phrase_with_a_word_or_two_between_them_are_an_unsure_match():
    hit = TextIndex(["dollar-weighted recall per month"]).find("dollar recall")
    assert hit is not None and not hit.sure and hit.doubt == "gap"
    # Across a clause break, or too far apart, it is no match at all.
    assert TextIndex(["dollar amounts, recall"]).find("dollar recall") is None
    assert TextIndex(["dollar sums over every month recall"]).find("dollar recall") is None
    # Meaning decides; without the signal a gapped mention does not count.
    assert found(
        "dollar-weighted recall of fraud caught", "dollar recall", name="Cost-weighted recall"
    )
    g = {"steps": {"data": {"key_concepts": [{"name": "X", "aliases": ["dollar recall"]}]}}}
    coverage = concept_coverage(g, ["dollar-weighted recall"], use_meaning=False)
    assert coverage["data"]["found"] == []


def test_a_concepts_own_words_written_together_count_when_it_is_closest_in_meaning():
    guide = {
        "steps": {
            "serving": {
                "key_concepts": [
                    {"name": "Precomputed zone prices", "aliases": ["price table"]},
                    {"name": "Fallback to safe prices", "aliases": ["last known good"]},
                ]
            }
        }
    }
    written = ["prices are precomputed per zone, a quote is just a lookup"]
    found_ = concept_coverage(guide, written)["serving"]["found"]
    assert [(f["name"], f["signal"]) for f in found_] == [("Precomputed zone prices", "meaning")]
    # A negated word does not count, and without the semantic signal the words alone never do.
    assert concept_coverage(guide, ["no precomputed prices"])["serving"]["found"] == []
    assert concept_coverage(guide, written, use_meaning=False)["serving"]["found"] == []


def test_a_concepts_examples_decide_which_concept_a_shared_alias_belongs_to():
    def guide(labels_examples, latency_examples):
        concepts = [
            {"name": "Delayed labels", "aliases": ["lag"], "examples": labels_examples},
            {"name": "Serving latency", "aliases": ["lag"], "examples": latency_examples},
        ]
        return {"steps": {"data": {"key_concepts": concepts}}}

    written = ["chargebacks come in weeks after the purchase, a lag we must wait out"]
    about_labels = ["chargebacks arrive weeks after the payment, so we learn of fraud late"]
    about_latency = ["the scoring call has to answer within 50 ms at p99"]
    found_ = concept_coverage(guide(about_labels, about_latency), written)["data"]["found"]
    assert [f["name"] for f in found_] == ["Delayed labels"]
    # The same writing with the examples swapped goes to the other concept.
    found_ = concept_coverage(guide(about_latency, about_labels), written)["data"]["found"]
    assert [f["name"] for f in found_] == ["Serving latency"]
