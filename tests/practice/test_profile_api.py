"""Practice profile and weekly availability over HTTP: bad input is a 400 that changes
nothing."""

import pytest

from practice.models import AvailabilitySlot, PracticeProfile

pytestmark = pytest.mark.django_db

PROFILE = {
    "target_role": "ML engineer",
    "level": "senior",
    "domains": ["search", "ads"],
    "time_zone": "America/New_York",
    "languages": ["en", "de"],
}


@pytest.fixture
def api(user_factory, client_for):
    user = user_factory(username="pia")
    client = client_for(user)
    assert client.put("/api/practice/profile/", PROFILE, format="json").status_code == 200
    return client


def test_profile_round_trips(api):
    body = api.get("/api/practice/profile/").json()
    assert body["level"] == "senior"
    assert body["domains"] == ["ads", "search"]
    assert body["time_zone"] == "America/New_York"
    assert body["slots"] == []
    assert body["suspended_until"] is None


@pytest.mark.parametrize(
    "change",
    [
        {"time_zone": "Mars/Olympus_Mons"},
        {"time_zone": "posixrules"},
        {"time_zone": "../../etc/passwd"},
        {"time_zone": ""},
        {"time_zone": 5},
        {"level": "principal"},
        {"level": 2},
        {"domains": ["cooking"]},
        {"domains": "search"},
        {"languages": ["english"]},
        {"languages": ["e1"]},
        {"languages": [7]},
        {"target_role": 12},
    ],
)
def test_a_bad_profile_field_is_a_400_and_changes_nothing(api, change):
    response = api.put("/api/practice/profile/", {**PROFILE, **change}, format="json")
    assert response.status_code == 400, response.json()
    assert set(response.json()) == set(change)
    profile = PracticeProfile.objects.get()
    assert (profile.time_zone, profile.level) == ("America/New_York", "senior")
    assert profile.domains == ["ads", "search"]


def slots(*triples):
    return {"slots": [{"weekday": d, "start": s, "end": e} for d, s, e in triples]}


def test_availability_is_replaced_as_a_whole(api):
    first = api.put(
        "/api/practice/availability/",
        slots((0, "18:00", "20:00"), (5, "09:00", "12:30"), (6, "22:00", "24:00")),
        format="json",
    )
    assert first.status_code == 200, first.json()
    assert [(s["weekday"], s["start"], s["end"]) for s in first.json()["slots"]] == [
        (0, "18:00", "20:00"),
        (5, "09:00", "12:30"),
        (6, "22:00", "24:00"),
    ]
    second = api.put("/api/practice/availability/", slots((2, "07:00", "08:30")), format="json")
    assert second.status_code == 200
    assert AvailabilitySlot.objects.count() == 1


@pytest.mark.parametrize(
    "body",
    [
        slots((0, "18:00", "20:00"), (0, "19:30", "21:00")),  # overlap
        slots((0, "18:00", "20:00"), (0, "18:00", "20:00")),  # the same twice
        slots((0, "20:00", "18:00")),  # ends before it starts
        slots((0, "18:00", "18:00")),  # empty
        slots((7, "18:00", "20:00")),  # no such weekday
        slots((-1, "18:00", "20:00")),
        slots(("1", "18:00", "20:00")),  # weekday as text
        slots((True, "18:00", "20:00")),
        slots((1.0, "18:00", "20:00")),
        slots((0, "18:15", "20:00")),  # off the half-hour grid
        slots((0, "9:00", "10:00")),
        slots((0, "18:00", "25:00")),
        slots((0, "24:00", "24:00")),
        slots((0, "18:60", "20:00")),
        slots((0, "١٨:٠٠", "20:00")),  # non-ASCII digits
        slots((0, 1080, 1200)),
        {"slots": [{"weekday": 0, "start": "18:00"}]},
        {"slots": "monday evenings"},
        {"slots": [None]},
        {},
    ],
)
def test_malformed_or_overlapping_availability_is_a_400_and_changes_nothing(api, body):
    api.put("/api/practice/availability/", slots((3, "10:00", "12:00")), format="json")
    response = api.put("/api/practice/availability/", body, format="json")
    assert response.status_code == 400, response.content
    assert list(AvailabilitySlot.objects.values_list("weekday", "start_minute", "end_minute")) == [
        (3, 600, 720)
    ]


def test_availability_needs_a_profile_first(user_factory, client_for):
    client = client_for(user_factory(username="newcomer"))
    body = slots((1, "10:00", "12:00"))
    response = client.put("/api/practice/availability/", body, format="json")
    assert response.status_code == 400
    assert client.get("/api/practice/profile/").status_code == 404
