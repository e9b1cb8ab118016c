"""Every message a test socket receives is checked against its definition in
interviews/protocol/outbound.py, so a message that drifts from it fails the test that sent it."""

from jsonschema import Draft202012Validator

from interviews.protocol.outbound import SCHEMAS

VALIDATORS = {kind: Draft202012Validator(schema) for kind, schema in SCHEMAS.items()}


def check_outbound(message: dict) -> dict:
    kind = message.get("type")
    assert kind in VALIDATORS, f"the server sent a message type with no definition: {kind!r}"
    problems = [
        f"{'/'.join(map(str, error.absolute_path)) or '(message)'}: {error.message}"
        for error in VALIDATORS[kind].iter_errors(message)
    ]
    assert not problems, f"{kind} does not match its definition: {problems[:5]}"
    return message
