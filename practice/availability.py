"""Weekly availability, pure: checking a set of slots and turning one slot into a concrete
window in UTC. No database here."""

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from .models import MINUTES_PER_DAY, SLOT_STEP_MINUTES

MAX_SLOTS = 28
WEEKDAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


class AvailabilityError(ValueError):
    pass


@dataclass(frozen=True, order=True)
class Slot:
    weekday: int
    start_minute: int
    end_minute: int


def zone_check(name: str) -> ZoneInfo:
    """The IANA zone called `name`. Only names in the system's zone list count: ZoneInfo itself
    also opens other files under the zone directory ('posixrules', relative paths)."""
    if name not in _zone_names():
        raise AvailabilityError(f"'{name}' is not an IANA time zone (e.g. Europe/Berlin).")
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise AvailabilityError(f"'{name}' is not an IANA time zone.") from exc


_ZONES: frozenset[str] | None = None


def _zone_names() -> frozenset[str]:
    global _ZONES
    if _ZONES is None:
        _ZONES = frozenset(available_timezones())
    return _ZONES


def minute_parse(text: str, *, field: str, allow_end_of_day: bool = False) -> int:
    """'HH:MM' on the half-hour grid to minutes since midnight; '24:00' only as an end."""
    if not isinstance(text, str) or len(text) != 5 or text[2] != ":":
        raise AvailabilityError(f"{field} must be written HH:MM, e.g. 09:30.")
    hours, minutes = text[:2], text[3:]
    if not (hours.isdigit() and minutes.isdigit() and hours.isascii() and minutes.isascii()):
        raise AvailabilityError(f"{field} must be written HH:MM, e.g. 09:30.")
    value = int(hours) * 60 + int(minutes)
    if (
        int(minutes) >= 60
        or value > MINUTES_PER_DAY
        or (value == MINUTES_PER_DAY and not allow_end_of_day)
    ):
        raise AvailabilityError(f"{field} {text} is not a time of day.")
    if value % SLOT_STEP_MINUTES:
        raise AvailabilityError(f"{field} must be on the hour or the half hour.")
    return value


def minute_format(value: int) -> str:
    return f"{value // 60:02d}:{value % 60:02d}"


def slots_check(slots: list[Slot]) -> list[Slot]:
    """The slots sorted; AvailabilityError when one is empty or two overlap on a day."""
    if len(slots) > MAX_SLOTS:
        raise AvailabilityError(f"At most {MAX_SLOTS} slots a week.")
    ordered = sorted(slots)
    for slot in ordered:
        if not 0 <= slot.weekday <= 6:
            raise AvailabilityError("weekday must be 0 (Monday) to 6 (Sunday).")
        if slot.start_minute >= slot.end_minute:
            raise AvailabilityError(
                f"A slot on {WEEKDAY_NAMES[slot.weekday]} ends before it starts."
            )
    for before, after in zip(ordered, ordered[1:], strict=False):
        if before.weekday == after.weekday and after.start_minute < before.end_minute:
            raise AvailabilityError(
                f"Two slots on {WEEKDAY_NAMES[after.weekday]} overlap "
                f"({minute_format(before.start_minute)}-{minute_format(before.end_minute)} and "
                f"{minute_format(after.start_minute)}-{minute_format(after.end_minute)})."
            )
    return ordered


def slot_window(slot: Slot, *, on: date, zone: ZoneInfo) -> tuple[datetime, datetime]:
    """The UTC window of `slot` on the local date `on` (which must fall on its weekday). A local
    time that does not exist (a spring-forward gap) moves forward as the wall clock does."""
    if on.weekday() != slot.weekday:
        raise AvailabilityError(f"{on.isoformat()} is not a {WEEKDAY_NAMES[slot.weekday]}.")
    midnight = datetime.combine(on, time(0))

    def at(minute: int) -> datetime:
        local = (midnight + timedelta(minutes=minute)).replace(tzinfo=zone)
        # Round trip through UTC resolves gaps and folds to a real instant.
        return local.astimezone(UTC)

    return at(slot.start_minute), at(slot.end_minute)
