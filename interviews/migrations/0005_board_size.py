from django.db import migrations, models
from django.db.models import Count, Sum
from django.db.models.functions import Length


def count_boards(apps, schema_editor):
    """Existing sessions start with the size of what their boards already hold."""
    Session = apps.get_model("interviews", "InterviewSession")
    Element = apps.get_model("interviews", "WhiteboardElement")
    sizes = Element.objects.values("session_id").annotate(rows=Count("id"), chars=Sum(Length("data")))
    for size in sizes:
        # Stored text was written as ASCII JSON, so characters are bytes.
        Session.objects.filter(pk=size["session_id"]).update(
            board_elements=size["rows"], board_bytes=size["chars"] or 0
        )


class Migration(migrations.Migration):
    dependencies = [("interviews", "0004_log_as_text")]

    operations = [
        migrations.AddField(
            model_name="interviewsession",
            name="board_elements",
            field=models.PositiveIntegerField(default=0),
        ),
        migrations.AddField(
            model_name="interviewsession",
            name="board_bytes",
            field=models.BigIntegerField(default=0),
        ),
        migrations.RunPython(count_boards, migrations.RunPython.noop),
    ]
