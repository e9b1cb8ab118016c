"""What an Excalidraw element may hold before it is merged, stored and sent to other browsers.

The board stores elements as Excalidraw sends them, and everything downstream reads them: the
other participants' editors, the report (board text, SVG snapshots), the PDF. So each field
Excalidraw 0.18 defines is checked for its type and range here, at the door; a field this table
does not know (a newer Excalidraw may add some) is kept only if it is plain, shallow data.
`check_element` raises ElementError with a message that names the field.
"""

import math
import re
from collections.abc import Callable

from ..limits import MAX_ELEMENT_ID_CHARS, MAX_SAFE_INTEGER


class ElementError(ValueError):
    pass


# Ids Excalidraw generates (nanoid) and the ones tests and imports use; never quotes, angle
# brackets or spaces, which end up in SVG attributes and SQL parameters.
_ID = re.compile(rf"[A-Za-z0-9_.:-]{{1,{MAX_ELEMENT_ID_CHARS}}}")
# CSS colours as Excalidraw's picker and hex input produce them: names, #hex, rgb()/hsl().
_COLOUR = re.compile(r"[#A-Za-z0-9(),.% -]{0,64}")
MAX_TEXT_CHARS = 32_000
MAX_POINTS = 20_000
MAX_LIST_ITEMS = 500
MAX_UNKNOWN_FIELDS = 32
MAX_UNKNOWN_DEPTH = 4
COORDINATE_LIMIT = 1e9  # far beyond any canvas, well inside what every renderer handles

Check = Callable[[object], bool]


def _number(low: float = -COORDINATE_LIMIT, high: float = COORDINATE_LIMIT) -> Check:
    def check(value) -> bool:
        return (
            not isinstance(value, bool)
            and isinstance(value, int | float)
            and math.isfinite(value)
            and low <= value <= high
        )

    return check


def _integer(low: int, high: int) -> Check:
    def check(value) -> bool:
        return not isinstance(value, bool) and isinstance(value, int) and low <= value <= high

    return check


def _text(limit: int) -> Check:
    return lambda value: isinstance(value, str) and len(value) <= limit


def _one_of(*choices: str) -> Check:
    allowed = frozenset(choices)
    return lambda value: isinstance(value, str) and value in allowed


def _nullable(check: Check) -> Check:
    return lambda value: value is None or check(value)


def _is_bool(value) -> bool:
    return isinstance(value, bool)


def _is_id(value) -> bool:
    return isinstance(value, str) and _ID.fullmatch(value) is not None


def _is_colour(value) -> bool:
    return isinstance(value, str) and _COLOUR.fullmatch(value) is not None


_coordinate = _number()


def _is_point(value) -> bool:
    return (
        isinstance(value, list)
        and len(value) == 2
        and _coordinate(value[0])
        and _coordinate(value[1])
    )


def _points(value) -> bool:
    return isinstance(value, list) and len(value) <= MAX_POINTS and all(map(_is_point, value))


def _pressures(value) -> bool:
    unit = _number(0, 1)
    return isinstance(value, list) and len(value) <= MAX_POINTS and all(map(unit, value))


def _id_list(value) -> bool:
    return isinstance(value, list) and len(value) <= MAX_LIST_ITEMS and all(map(_is_id, value))


def _bound_elements(value) -> bool:
    return (
        isinstance(value, list)
        and len(value) <= MAX_LIST_ITEMS
        and all(
            isinstance(item, dict)
            and _is_id(item.get("id"))
            and _one_of("arrow", "text")(item.get("type"))
            for item in value
        )
    )


def _roundness(value) -> bool:
    return (
        isinstance(value, dict)
        and _integer(0, 10)(value.get("type"))
        and ("value" not in value or _nullable(_number(0, 1e6))(value["value"]))
        and set(value) <= {"type", "value"}
    )


def _binding(value) -> bool:
    return (
        isinstance(value, dict)
        and _is_id(value.get("elementId"))
        and all(
            key in ("elementId", "mode") or _plain(item, MAX_UNKNOWN_DEPTH - 1)
            for key, item in value.items()
        )
        and ("focus" not in value or _coordinate(value["focus"]))
        and ("gap" not in value or _coordinate(value["gap"]))
        and ("fixedPoint" not in value or _nullable(_is_point)(value["fixedPoint"]))
    )


def _plain(value, depth: int = MAX_UNKNOWN_DEPTH) -> bool:
    """Plain, shallow data: finite numbers, short text, booleans, null, small lists and
    objects nested at most `depth` levels."""
    if value is None or isinstance(value, bool | str):
        return not isinstance(value, str) or len(value) <= MAX_TEXT_CHARS
    if isinstance(value, int | float):
        return math.isfinite(value)
    if depth <= 0:
        return False
    if isinstance(value, list):
        return len(value) <= MAX_POINTS and all(_plain(item, depth - 1) for item in value)
    if isinstance(value, dict):
        return len(value) <= MAX_LIST_ITEMS and all(
            _plain(item, depth - 1) for item in value.values()
        )
    return False


# Excalidraw 0.18's element fields (packages/element/src/types.ts), each with the same
# meaning in every element type that has it.
FIELDS: dict[str, Check] = {
    "x": _coordinate,
    "y": _coordinate,
    "width": _number(-COORDINATE_LIMIT, COORDINATE_LIMIT),
    "height": _number(-COORDINATE_LIMIT, COORDINATE_LIMIT),
    "angle": _number(-1e4, 1e4),
    "strokeColor": _is_colour,
    "backgroundColor": _is_colour,
    "fillStyle": _one_of("hachure", "cross-hatch", "solid", "zigzag"),
    "strokeWidth": _number(0, 1000),
    "strokeStyle": _one_of("solid", "dashed", "dotted"),
    "roughness": _number(0, 10),
    "opacity": _number(0, 100),
    "groupIds": _id_list,
    "frameId": _nullable(_is_id),
    "index": _nullable(_text(200)),
    "roundness": _nullable(_roundness),
    "seed": _integer(-MAX_SAFE_INTEGER, MAX_SAFE_INTEGER),
    "updated": _number(0, 1e15),
    "link": _nullable(_text(2048)),
    "locked": _is_bool,
    "boundElements": _nullable(_bound_elements),
    "customData": lambda value: isinstance(value, dict) and _plain(value),
    # text
    "text": _text(MAX_TEXT_CHARS),
    "originalText": _text(MAX_TEXT_CHARS),
    "fontSize": _number(0, 10_000),
    "fontFamily": _integer(0, 100),
    "textAlign": _one_of("left", "center", "right"),
    "verticalAlign": _one_of("top", "middle", "bottom"),
    "containerId": _nullable(_is_id),
    "autoResize": _is_bool,
    "lineHeight": _number(0, 100),
    "baseline": _number(),
    # lines, arrows and free drawing
    "points": _points,
    "lastCommittedPoint": _nullable(_is_point),
    "startBinding": _nullable(_binding),
    "endBinding": _nullable(_binding),
    "startArrowhead": _nullable(_text(32)),
    "endArrowhead": _nullable(_text(32)),
    "elbowed": _is_bool,
    "polygon": _is_bool,
    "pressures": _pressures,
    "simulatePressure": _is_bool,
    # images, frames, embeds
    "fileId": _nullable(_text(200)),
    "status": _one_of("pending", "saved", "error"),
    "scale": _is_point,
    "name": _nullable(_text(1000)),
}
_REQUIRED = ("id", "type", "version", "versionNonce", "isDeleted")
_version = _integer(1, MAX_SAFE_INTEGER)
_nonce = _integer(-MAX_SAFE_INTEGER, MAX_SAFE_INTEGER)
_kind = _text(32)


def check_element(raw) -> dict:
    """Return `raw` if it is an element the board can hold; ElementError otherwise."""
    if not isinstance(raw, dict):
        raise ElementError("must be an object")
    if not _is_id(raw.get("id")):
        raise ElementError(f"id must be 1-{MAX_ELEMENT_ID_CHARS} letters, digits or any of _ . : -")
    if not _version(raw.get("version")):
        raise ElementError("version must be a whole number from 1 to 2^53 - 1")
    if not _nonce(raw.get("versionNonce")):
        raise ElementError("versionNonce must be a whole number within ±(2^53 - 1)")
    if not isinstance(raw.get("isDeleted"), bool):
        raise ElementError("isDeleted must be true or false")
    if not _kind(raw.get("type")) or not raw["type"]:
        raise ElementError("type must be text")
    unknown = 0
    for key, value in raw.items():
        check = FIELDS.get(key)
        if check is not None:
            if not check(value):
                raise ElementError(f"{key} has a value of the wrong type or out of range")
        elif key not in _REQUIRED:
            unknown += 1
            if unknown > MAX_UNKNOWN_FIELDS or len(key) > 64 or not _plain(value):
                raise ElementError(f"{key[:64]} is not a field the board can hold")
    return raw


def valid_elements(elements) -> list[dict]:
    """The elements of a stored list that the board would accept today. Rows stored before
    every field was checked at the door may hold anything; readers skip those rather than
    fail on them (or hand them to a browser)."""
    valid = []
    for element in elements if isinstance(elements, list) else ():
        try:
            valid.append(check_element(element))
        except ElementError:
            continue
    return valid
