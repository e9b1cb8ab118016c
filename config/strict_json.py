"""JSON as browsers read it, for everything that comes in from a client (websocket frames, API
bodies) and everything the server writes for one.

Python's `json` is more lenient than a browser's `JSON.parse`: it reads and writes `NaN` and
`Infinity`, turns `1e400` into infinity, and happily holds NUL characters and lone surrogates,
which PostgreSQL text cannot store (one bad value then fails the whole transaction). Its C
parser also recurses once per nesting level. `loads` refuses all of these with a
`StrictJSONError` whose `code` the caller hands back to the client; `dumps` refuses to write
anything a browser cannot parse.
"""

import json
import re

# Tokens the depth scan cares about: whole strings (so brackets inside text do not count)
# and brackets.
_TOKENS = re.compile(r'"(?:[^"\\]|\\.)*"|[\[\]{}]')
# A float literal that may overflow to infinity: a three-digit exponent or 309+ digits.
_HUGE_NUMBER = re.compile(r"[eE][+-]?\d{3}|\d{309}")
# NUL and the surrogate range: no valid UTF-8 text holds a lone surrogate.
_UNSAFE_CHARS = re.compile("[\x00\ud800-\udfff]")

DEFAULT_MAX_DEPTH = 16


class StrictJSONError(ValueError):
    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code = code
        self.message = message


def _refuse_constant(name: str):
    raise StrictJSONError("bad_json", f"{name} is not JSON; numbers must be finite.")


def _finite_float(text: str) -> float:
    value = float(text)
    if value in (float("inf"), float("-inf")):
        raise StrictJSONError("bad_json", "A number is too large.")
    return value


def has_unsafe_chars(text: str) -> bool:
    """Whether `text` holds NUL or a lone surrogate."""
    return _UNSAFE_CHARS.search(text) is not None


def _depth_over(text: str, limit: int) -> bool:
    # Each opening bracket may add a level: too few of them cannot exceed the limit, so the
    # common small message skips the scan.
    if text.count("[") + text.count("{") <= limit:
        return False
    depth = 0
    for match in _TOKENS.finditer(text):
        token = match.group()
        if token in "[{":
            depth += 1
            if depth > limit:
                return True
        elif token in "]}":
            depth -= 1
    return False


def _check_strings(value, path: str = "") -> None:
    """Refuse NUL and lone surrogates in every string and key."""
    if isinstance(value, str):
        if _UNSAFE_CHARS.search(value):
            where = f" in '{path}'" if path else ""
            raise StrictJSONError(
                "bad_message", f"Text{where} holds a NUL character or an invalid character."
            )
    elif isinstance(value, dict):
        for key, item in value.items():
            _check_strings(key, path)
            _check_strings(item, f"{path}.{key}" if path else key)
    elif isinstance(value, list):
        for index, item in enumerate(value):
            _check_strings(item, f"{path}[{index}]")


def loads(text: str, *, max_depth: int = DEFAULT_MAX_DEPTH):
    """Parse `text` as a browser would and refuse what a browser or the database cannot hold.

    Nesting is measured before parsing (the parser's recursion is bounded too), NaN, Infinity
    and overflowing numbers are refused, and so are NUL and lone surrogates anywhere in a
    string or key. Raises StrictJSONError ("bad_json" for syntax, "too_deep", "bad_message").
    """
    if _depth_over(text, max_depth):
        raise StrictJSONError("too_deep", f"JSON may nest at most {max_depth} levels.")
    hooks = {"parse_constant": _refuse_constant}
    if _HUGE_NUMBER.search(text):
        hooks["parse_float"] = _finite_float
    try:
        data = json.loads(text, **hooks)
    except StrictJSONError:
        raise
    except RecursionError as exc:
        raise StrictJSONError("too_deep", "JSON nests too deeply.") from exc
    except ValueError as exc:
        raise StrictJSONError("bad_json", "The text is not valid JSON.") from exc
    # Only an escape can put NUL or a surrogate into parsed text: the parser refuses raw
    # control characters, and text that arrived as UTF-8 holds no surrogates.
    if "\\u" in text:
        _check_strings(data)
    return data


def dumps(value) -> str:
    """Compact JSON that `JSON.parse` reads back; ValueError for NaN or Infinity."""
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False, allow_nan=False)
