import json

import pytest

from config import strict_json
from config.strict_json import StrictJSONError


def refusal(text: str, **options) -> str:
    """The code strict_json refuses `text` with."""
    with pytest.raises(StrictJSONError) as caught:
        strict_json.loads(text, **options)
    return caught.value.code


@pytest.mark.parametrize(
    "text",
    [
        '{"x": NaN}',
        '{"x": Infinity}',
        '{"x": -Infinity}',
        '{"x": 1e400}',
        '{"x": -1e999}',
        '{"x": 1' + "0" * 400 + ".5}",
    ],
)
def test_numbers_a_browser_cannot_hold_are_refused(text):
    assert refusal(text) == "bad_json"


def test_large_but_finite_numbers_are_kept():
    assert strict_json.loads('{"x": 1.5e300, "y": 12345678901234567890}') == {
        "x": 1.5e300,
        "y": 12345678901234567890,
    }


@pytest.mark.parametrize(
    "text",
    [
        '{"t": "a\\u0000b"}',
        '{"t": "\\ud800"}',
        '{"t": "x\\udfff"}',
        '{"a\\u0000": 1}',
        '["\\udc00"]',
    ],
)
def test_nul_and_lone_surrogates_are_refused_in_values_and_keys(text):
    assert refusal(text) == "bad_message"


def test_escaped_text_that_is_valid_passes():
    assert strict_json.loads('{"t": "caf\\u00e9 \\ud83d\\ude00 \\\\u0000"}') == {
        "t": "café 😀 \\u0000"
    }


def test_nesting_is_limited_before_parsing_and_brackets_in_text_do_not_count():
    assert refusal("[" * 17 + "]" * 17) == "too_deep"
    assert refusal('{"a":' * 3000 + "1" + "}" * 3000)
    assert strict_json.loads("[" * 16 + "]" * 16)
    assert strict_json.loads(json.dumps({"text": "[[[[{{{{" * 100}))["text"].startswith("[[[[")


def test_nesting_beyond_the_parser_recursion_is_a_clear_error():
    assert refusal("[" * 100_000, max_depth=10**6) == "too_deep"


def test_dumps_writes_only_what_json_parse_reads():
    assert strict_json.dumps({"t": "é", "n": [1, 2.5]}) == '{"t":"é","n":[1,2.5]}'
    with pytest.raises(ValueError):
        strict_json.dumps({"x": float("nan")})
