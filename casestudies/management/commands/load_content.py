from django.core.management.base import BaseCommand, CommandError

from casestudies.guide import ContentError
from casestudies.services import case_study_upsert, content_files, read_case_study_file
from rubrics.services import RUBRIC_CONTENT_DIR, rubric_load_file


class Command(BaseCommand):
    help = "Load case studies and rubrics from their content folders (idempotent)."

    def handle(self, *args, **options):
        try:
            # Read every file before writing any, so one bad file changes nothing.
            cases = [read_case_study_file(path) for path in content_files()]
        except ContentError as exc:
            raise CommandError(str(exc)) from exc
        created = sum(case_study_upsert(fields=fields)[1] for fields in cases)
        self.stdout.write(f"case studies: {len(cases)} loaded, {created} new")
        for path in sorted(RUBRIC_CONTENT_DIR.glob("*.yaml")):
            try:
                rubric, action = rubric_load_file(path)
            except ContentError as exc:
                raise CommandError(str(exc)) from exc
            self.stdout.write(f"rubric {rubric.slug} v{rubric.version}: {action}")
