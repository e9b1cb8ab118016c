"""Numbers with a unit or magnitude: "10M DAU", "200 ms", "5k QPS", "3%", "72 hours", "24h",
"2x", "1,200 requests/s", or a magnitude word ("millions of sellers"). Used where a rule asks
whether the candidate put numbers on the requirements."""

from __future__ import annotations

import re

_UNITS = (
    r"k|m|mm|b|bn|t|thousand|million|billion|trillion|ms|msec|milliseconds?|s|secs?|seconds?|"
    r"mins?|minutes?|h|hrs?|hours?|d|days?|wks?|weeks?|months?|years?|x|%|qps|rps|tps|dau|mau|"
    r"users?|requests?|items?|queries|images?|videos?|posts?|ads?|events?|listings?|edges?|"
    r"panoramas?|frames?|countries|gpus?|kb|mb|gb|tb|pb|px|pixels?|/\s*s|/\s*sec|/\s*day|"
    r"per\s+(?:second|day|month|user|request)"
)
QUANTITY_RE = re.compile(
    rf"(?<![\w.])~?\d(?:[\d,.]*\d)?\s*(?:{_UNITS})(?![a-z])"
    r"|(?<![\w])x\s?\d+(?:\.\d+)?(?![\w.])"
    r"|\b(?:hundreds|thousands|millions|billions|trillions)\b",
    re.IGNORECASE,
)


def quantities(text: str) -> list[str]:
    """The quantities written in `text`, as written."""
    return [match.group(0).strip() for match in QUANTITY_RE.finditer(text)]
