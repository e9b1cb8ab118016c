"""Write the room protocol's message schemas and limits, and the TypeScript types of its
messages, for the browser app."""

import json
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand

from interviews.protocol.outbound import protocol_document
from interviews.protocol.typescript import typescript_module

ROOM_SRC = Path(settings.BASE_DIR) / "frontend" / "src" / "room"
TARGET = ROOM_SRC / "protocol.schema.json"
TYPES_TARGET = ROOM_SRC / "protocol.types.ts"


def protocol_json() -> str:
    return json.dumps(protocol_document(), indent=2, sort_keys=True) + "\n"


class Command(BaseCommand):
    help = (
        "Write frontend/src/room/protocol.schema.json and protocol.types.ts from"
        " interviews/protocol/outbound.py."
    )

    def handle(self, *args, **options):
        TARGET.write_text(protocol_json())
        TYPES_TARGET.write_text(typescript_module())
        self.stdout.write(f"wrote {TARGET} and {TYPES_TARGET}")
