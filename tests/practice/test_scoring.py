"""The pure scoring function: hard rules give None, preferences order the rest."""

from datetime import UTC, datetime, timedelta

from practice.scoring import PAIRING_DURATION, Case, Seeker, cases_choose, score

T0 = datetime(2026, 12, 7, 18, 0, tzinfo=UTC)
CASES = [Case(1, "search"), Case(2, "search"), Case(3, "ads"), Case(4, "nlp")]


def seeker(user_id: int, **fields) -> Seeker:
    base = {
        "request_id": user_id,
        "user_id": user_id,
        "level": "senior",
        "domains": frozenset({"search"}),
        "languages": frozenset({"en"}),
        "window_start": T0,
        "window_end": T0 + timedelta(hours=2),
    }
    return Seeker(**{**base, **fields})


def test_partners_one_level_apart_fit_but_two_apart_do_not():
    assert score(seeker(1, level="mid"), seeker(2, level="senior"), CASES) is not None
    assert score(seeker(1, level="staff"), seeker(2, level="senior"), CASES) is not None
    assert score(seeker(1, level="mid"), seeker(2, level="staff"), CASES) is None


def test_the_same_level_scores_higher_than_one_step_apart():
    same = score(seeker(1), seeker(2), CASES)
    apart = score(seeker(1), seeker(2, level="staff"), CASES)
    assert same > apart


def test_a_block_in_either_direction_rules_the_pair_out():
    assert score(seeker(1, blocked=frozenset({2})), seeker(2), CASES) is None
    assert score(seeker(1), seeker(2, blocked=frozenset({1})), CASES) is None


def test_the_same_person_is_never_paired_with_themselves():
    assert score(seeker(1), seeker(1, request_id=9), CASES) is None


def test_windows_must_overlap_for_a_whole_pairing():
    end = T0 + timedelta(hours=3)
    exactly = seeker(2, window_start=T0 + timedelta(hours=2) - PAIRING_DURATION, window_end=end)
    assert score(seeker(1), exactly, CASES) is not None
    short = seeker(2, window_start=T0 + timedelta(minutes=45), window_end=end)
    assert score(seeker(1), short, CASES) is None
    next_day = seeker(2, window_start=T0 + timedelta(days=1), window_end=end + timedelta(days=1))
    assert score(seeker(1), next_day, CASES) is None


def test_no_language_in_common_rules_the_pair_out():
    assert score(seeker(1), seeker(2, languages=frozenset({"fr"})), CASES) is None
    assert score(seeker(1), seeker(2, languages=frozenset({"fr", "en"})), CASES) is not None


def test_shared_domains_score_higher():
    shared = score(seeker(1), seeker(2), CASES)
    other = score(seeker(1), seeker(2, domains=frozenset({"ads"})), CASES)
    assert shared > other


def test_a_repeat_partner_scores_below_any_new_one():
    again = score(seeker(1, past_partners=frozenset({2})), seeker(2), CASES)
    stranger = score(seeker(1), seeker(3, level="staff", domains=frozenset({"nlp"})), CASES)
    assert again is not None and stranger is not None
    assert stranger > again


def test_no_case_left_that_the_candidate_has_not_practised_rules_the_pair_out():
    everything = frozenset(c.id for c in CASES)
    assert score(seeker(1), seeker(2, practised=everything), CASES) is None
    assert score(seeker(1, practised=everything), seeker(2), CASES) is None


def test_cases_are_fresh_for_their_candidate_distinct_and_in_their_domains():
    a = seeker(1, domains=frozenset({"ads"}), practised=frozenset({3}))
    b = seeker(2, domains=frozenset({"search"}), practised=frozenset({1}))
    first, second = cases_choose(a, b, CASES)
    assert first.id == 2  # b's domain, b has done 1
    assert second.id not in a.practised and second.id != first.id
    # a has done the only ads case; of the rest, 4 is new to b as well (b has done 1).
    assert second.id == 4


def test_the_case_the_interviewer_has_not_seen_either_is_preferred():
    a = seeker(1, practised=frozenset({1}))
    b = seeker(2)
    first, _ = cases_choose(a, b, CASES)
    assert first.id == 2
