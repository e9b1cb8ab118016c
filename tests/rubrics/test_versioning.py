import copy

import pytest
import yaml

from interviews.feedback import services as feedback_services
from interviews.sessions import services as session_services
from rubrics.models import Criterion, Rubric, RubricLocked
from rubrics.services import (
    RUBRIC_CONTENT_DIR,
    parse_rubric,
    rubric_get_default,
    rubric_load,
    rubric_new_version,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def parsed():
    return parse_rubric(yaml.safe_load((RUBRIC_CONTENT_DIR / "ml-system-design.yaml").read_text()))


def test_default_rubric_has_a_criterion_per_step_and_cross_cutting_ones(parsed):
    steps = {c["step"] for c in parsed["criteria"]}
    assert steps >= {"clarify", "frame", "data", "model", "evaluation", "serving", "monitoring"}
    cross = [c["key"] for c in parsed["criteria"] if not c["step"]]
    assert len(cross) >= 3
    for criterion in parsed["criteria"]:
        assert criterion["weight"] > 0
        assert sorted(criterion["anchors"]) == ["1", "2", "3", "4"]
        # Behavioural anchors are sentences, not one-word labels.
        assert all(len(anchor.split()) >= 6 for anchor in criterion["anchors"].values())


def test_reloading_unchanged_content_changes_nothing(parsed):
    first, action = rubric_load(parsed=parsed)
    assert action == "created"
    again, action = rubric_load(parsed=copy.deepcopy(parsed))
    assert (again.pk, action) == (first.pk, "unchanged")


def test_unused_version_is_updated_in_place(parsed):
    rubric, _ = rubric_load(parsed=parsed)
    parsed["criteria"][0]["title"] = "Asks sharper questions"
    updated, action = rubric_load(parsed=parsed)
    assert (updated.pk, updated.version, action) == (rubric.pk, 1, "updated")
    assert updated.criteria.first().title == "Asks sharper questions"


def test_version_used_by_a_session_is_never_changed_in_place(parsed, case_study, user_factory):
    rubric, _ = rubric_load(parsed=parsed)
    session, _ = session_services.session_create(
        user=user_factory(), case_study=case_study, role="interviewer"
    )
    feedback_services.score_set(
        session=session, role="interviewer", criterion_key=parsed["criteria"][0]["key"], level=3
    )
    old_title = parsed["criteria"][0]["title"]
    parsed["criteria"][0]["title"] = "Asks sharper questions"
    # Content that names no version becomes the next one (a file naming its version is
    # refused instead: tests/rubrics/test_rubric_v2.py).
    del parsed["version"]
    new, action = rubric_load(parsed=parsed)
    assert new.version == 2 and action.startswith("new version")
    assert rubric_get_default() == new
    session.refresh_from_db()
    assert session.rubric_id == rubric.pk
    assert rubric.criteria.first().title == old_title
    # Direct writes to the used version are refused too.
    with pytest.raises(RubricLocked):
        rubric.save()
    criterion = rubric.criteria.first()
    criterion.title = "sneaky"
    with pytest.raises(RubricLocked):
        criterion.save()
    with pytest.raises(RubricLocked):
        criterion.delete()


def test_new_version_copies_every_criterion(parsed):
    rubric, _ = rubric_load(parsed=parsed)
    copy_ = rubric_new_version(rubric=rubric)
    assert copy_.version == rubric.version + 1
    assert list(copy_.criteria.values_list("key", "weight", "anchors")) == list(
        rubric.criteria.values_list("key", "weight", "anchors")
    )
    assert Rubric.objects.filter(slug=rubric.slug).count() == 2
    assert Criterion.objects.count() == 2 * rubric.criteria.count()


def test_rubric_api_lists_versions_and_details_criteria(rubric, user_factory, client_for):
    api = client_for(user_factory())
    body = api.get("/api/rubrics/").json()
    assert body["count"] == 1 and body["results"][0]["version"] == 1
    detail = api.get(f"/api/rubrics/{rubric.pk}/").json()
    assert len(detail["criteria"]) == rubric.criteria.count()
    assert api.get("/api/rubrics/999999/").status_code == 404
