from pathlib import Path

import yaml
from django.db import transaction

from .guide import ContentError, parse_case_study
from .models import CaseStudy, Tag

CONTENT_DIR = Path(__file__).resolve().parent / "content"


def content_files(directory: Path = CONTENT_DIR) -> list[Path]:
    return sorted(directory.glob("*.yaml"))


def read_case_study_file(path: Path) -> dict:
    """Parse and check one content file; the slug must match the file name."""
    try:
        fields = parse_case_study(yaml.safe_load(path.read_text(encoding="utf-8")))
    except (ContentError, yaml.YAMLError) as exc:
        raise ContentError(f"{path.name}: {exc}") from exc
    if fields["slug"] != path.stem:
        raise ContentError(f"{path.name}: slug '{fields['slug']}' differs from the file name")
    return fields


@transaction.atomic
def case_study_upsert(*, fields: dict) -> tuple[CaseStudy, bool]:
    """Create or update the case study with `fields['slug']`; returns (case, created)."""
    fields = dict(fields)
    tag_names = fields.pop("tags")
    case, created = CaseStudy.objects.update_or_create(slug=fields.pop("slug"), defaults=fields)
    tags = [Tag.objects.get_or_create(name=name)[0] for name in tag_names]
    case.tags.set(tags)
    return case, created
