"""Slots turned into concrete windows, across time zones and clock changes."""

from datetime import UTC, date, datetime

import pytest

from practice.availability import AvailabilityError, Slot, slot_window, slots_check, zone_check


def test_a_slot_becomes_its_utc_window_on_a_date():
    start, end = slot_window(
        Slot(0, 18 * 60, 20 * 60), on=date(2026, 12, 7), zone=zone_check("Asia/Kolkata")
    )
    assert start == datetime(2026, 12, 7, 12, 30, tzinfo=UTC)
    assert end == datetime(2026, 12, 7, 14, 30, tzinfo=UTC)


def test_a_slot_across_the_spring_clock_change_keeps_its_wall_clock_times():
    # Berlin moves from 02:00 to 03:00 on Sunday 29 March 2026: 01:00-04:00 local is 2 hours.
    start, end = slot_window(
        Slot(6, 60, 4 * 60), on=date(2026, 3, 29), zone=zone_check("Europe/Berlin")
    )
    assert (end - start).total_seconds() == 2 * 3600


def test_a_slot_ending_at_midnight_ends_at_the_next_day():
    _, end = slot_window(Slot(6, 22 * 60, 24 * 60), on=date(2026, 12, 6), zone=zone_check("UTC"))
    assert end == datetime(2026, 12, 7, 0, 0, tzinfo=UTC)


def test_the_date_must_fall_on_the_slots_weekday():
    with pytest.raises(AvailabilityError):
        slot_window(Slot(0, 600, 720), on=date(2026, 12, 8), zone=zone_check("UTC"))


def test_slots_on_different_days_may_share_hours_but_not_on_one_day():
    assert len(slots_check([Slot(0, 600, 720), Slot(1, 600, 720)])) == 2
    assert len(slots_check([Slot(0, 600, 720), Slot(0, 720, 780)])) == 2  # touching is fine
    with pytest.raises(AvailabilityError, match="overlap"):
        slots_check([Slot(0, 600, 720), Slot(0, 690, 780)])


@pytest.mark.parametrize("name", ["Mars/Olympus_Mons", "posixrules", "", "utc/", "Europe/../UTC"])
def test_only_real_iana_zones_count(name):
    with pytest.raises(AvailabilityError):
        zone_check(name)
