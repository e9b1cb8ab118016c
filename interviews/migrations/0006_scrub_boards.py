"""Remove whiteboard data that the door refuses today (NaN, Infinity, wrong field types, ids a
browser or the database cannot hold), so rooms that took such a frame before open again."""

import json

from django.db import migrations
from django.db.models import Count, Sum
from django.db.models.functions import Length

from config import strict_json
from interviews.protocol.elements import valid_elements


def _strict(elements: list) -> list:
    kept = []
    for element in valid_elements(elements):
        try:
            strict_json.dumps(element)
        except ValueError:
            continue
        kept.append(element)
    return kept


def scrub(apps, schema_editor):
    Session = apps.get_model("interviews", "InterviewSession")
    Element = apps.get_model("interviews", "WhiteboardElement")
    Event = apps.get_model("interviews", "RoomEvent")
    Snapshot = apps.get_model("interviews", "WhiteboardSnapshot")
    bad = []
    for pk, data in Element.objects.values_list("pk", "data").iterator(chunk_size=2000):
        try:
            element = json.loads(data)
        except ValueError:
            element = None
        if not _strict([element]):
            bad.append(pk)
    Element.objects.filter(pk__in=bad).delete()
    for event in Event.objects.filter(type="whiteboard.update").iterator(chunk_size=2000):
        payload = json.loads(event.payload)
        kept = _strict(payload.get("elements"))
        if len(kept) != len(payload.get("elements") or ()):
            event.payload = strict_json.dumps({**payload, "elements": kept})
            event.save(update_fields=["payload"])
    for snapshot in Snapshot.objects.iterator(chunk_size=200):
        kept = _strict(snapshot.elements)
        if len(kept) != len(snapshot.elements or ()):
            snapshot.elements = kept
            snapshot.save(update_fields=["elements"])
    if bad:
        Session.objects.update(board_elements=0, board_bytes=0)
        sizes = Element.objects.values("session_id").annotate(
            rows=Count("id"), chars=Sum(Length("data"))
        )
        for size in sizes:
            Session.objects.filter(pk=size["session_id"]).update(
                board_elements=size["rows"], board_bytes=size["chars"] or 0
            )


class Migration(migrations.Migration):
    dependencies = [("interviews", "0005_board_size")]

    operations = [migrations.RunPython(scrub, migrations.RunPython.noop)]
