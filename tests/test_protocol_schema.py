import pytest

from interviews.management.commands.protocol_schema import TARGET, TYPES_TARGET, protocol_json
from interviews.protocol.typescript import typescript_module
from tests.protocol_check import check_outbound

STALE = (
    "interviews/protocol/outbound.py or interviews/limits.py changed:"
    " run `python manage.py protocol_schema`"
)


def test_the_browsers_copy_of_the_protocol_is_up_to_date():
    assert TARGET.read_text() == protocol_json(), STALE


def test_the_browsers_message_types_are_generated_from_the_definitions():
    assert TYPES_TARGET.read_text() == typescript_module(), STALE


@pytest.mark.parametrize(
    "message",
    [
        {"type": "teleport"},
        {"type": "presence"},
        {
            "type": "presence",
            "participants": [{"user_id": 1, "username": "a", "role": "boss", "online": True}],
        },
        {"type": "pong", "server_time": 1, "extra": True},
        {"type": "error", "code": "oops", "message": "?"},
    ],
)
def test_a_message_that_drifts_from_its_definition_is_caught(message):
    with pytest.raises(AssertionError):
        check_outbound(message)


def test_a_message_that_matches_passes():
    assert check_outbound({"type": "pong", "server_time": 1})
