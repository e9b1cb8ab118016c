import hashlib
import json
from decimal import Decimal, InvalidOperation
from pathlib import Path

import yaml
from django.db import transaction

from casestudies.framework import STEP_KEYS
from casestudies.guide import SLUG_RE, ContentError

from .models import LEVELS, Criterion, Rubric

RUBRIC_CONTENT_DIR = Path(__file__).resolve().parent / "content"
DEFAULT_RUBRIC_SLUG = "ml-system-design"


def _level_map(value, where: str) -> dict[str, str]:
    if not isinstance(value, dict):
        raise ContentError(f"{where}: expected an object keyed 1..4")
    result = {str(k): v for k, v in value.items()}
    if sorted(result) != [str(level) for level in LEVELS]:
        raise ContentError(f"{where}: needs exactly the levels {list(LEVELS)}")
    for key, text in result.items():
        if not isinstance(text, str) or not text.strip():
            raise ContentError(f"{where}.{key}: expected non-empty text")
    return {key: text.strip() for key, text in sorted(result.items())}


def parse_rubric(data) -> dict:
    """Check a rubric content file; return {slug, name, description, levels, criteria: [...]}."""
    if not isinstance(data, dict):
        raise ContentError("expected a mapping at the top of the file")
    slug = data.get("slug")
    if not isinstance(slug, str) or not SLUG_RE.match(slug):
        raise ContentError("slug: lowercase letters, digits and dashes only")
    criteria, seen = [], set()
    for i, raw in enumerate(data.get("criteria") or []):
        where = f"criteria[{i}]"
        if not isinstance(raw, dict):
            raise ContentError(f"{where}: expected an object")
        key = raw.get("key")
        if not isinstance(key, str) or not SLUG_RE.match(key) or key in seen:
            raise ContentError(f"{where}.key: missing, malformed or repeated")
        seen.add(key)
        step = raw.get("step") or ""
        if step and step not in STEP_KEYS:
            raise ContentError(f"{where}.step: one of {STEP_KEYS} or null")
        try:
            weight = Decimal(str(raw.get("weight")))
        except InvalidOperation as exc:
            raise ContentError(f"{where}.weight: expected a number") from exc
        if not weight > 0:
            raise ContentError(f"{where}.weight: must be positive")
        criteria.append(
            {
                "key": key,
                "title": str(raw.get("title") or "").strip() or key,
                "step": step,
                "weight": weight,
                "description": str(raw.get("description") or "").strip(),
                "anchors": _level_map(raw.get("anchors"), f"{where}.anchors"),
            }
        )
    if not criteria:
        raise ContentError("criteria: at least one criterion is needed")
    return {
        "slug": slug,
        "name": str(data.get("name") or slug).strip(),
        "description": str(data.get("description") or "").strip(),
        "levels": _level_map(data.get("levels"), "levels"),
        "criteria": criteria,
    }


def _content_hash(parsed: dict) -> str:
    return hashlib.sha256(json.dumps(parsed, sort_keys=True, default=str).encode()).hexdigest()


@transaction.atomic
def rubric_create_version(*, parsed: dict) -> Rubric:
    """Create the next version of `parsed['slug']` with the given content."""
    latest = Rubric.objects.filter(slug=parsed["slug"]).order_by("-version").first()
    rubric = Rubric.objects.create(
        slug=parsed["slug"],
        version=(latest.version + 1) if latest else 1,
        name=parsed["name"],
        description=parsed["description"],
        levels=parsed["levels"],
        content_hash=_content_hash(parsed),
    )
    _criteria_replace(rubric, parsed["criteria"])
    return rubric


def _criteria_replace(rubric: Rubric, criteria: list[dict]) -> None:
    rubric.criteria.all().delete()
    Criterion.objects.bulk_create(
        Criterion(rubric=rubric, position=i, **fields) for i, fields in enumerate(criteria)
    )


@transaction.atomic
def rubric_load(*, parsed: dict) -> tuple[Rubric, str]:
    """Bring the rubric `parsed['slug']` in line with `parsed`.

    Unchanged content does nothing; changed content updates the latest version in place while
    no session uses it, and otherwise creates a new version. Returns (rubric, what happened).
    """
    latest = (
        Rubric.objects.select_for_update().filter(slug=parsed["slug"]).order_by("-version").first()
    )
    digest = _content_hash(parsed)
    if latest is None:
        return rubric_create_version(parsed=parsed), "created"
    if latest.content_hash == digest:
        return latest, "unchanged"
    if latest.is_locked:
        return rubric_create_version(parsed=parsed), "new version (previous one is in use)"
    for field in ("name", "description", "levels"):
        setattr(latest, field, parsed[field])
    latest.content_hash = digest
    latest.save()
    _criteria_replace(latest, parsed["criteria"])
    return latest, "updated"


def rubric_load_file(path: Path) -> tuple[Rubric, str]:
    try:
        parsed = parse_rubric(yaml.safe_load(path.read_text(encoding="utf-8")))
    except (ContentError, yaml.YAMLError) as exc:
        raise ContentError(f"{path.name}: {exc}") from exc
    return rubric_load(parsed=parsed)


def rubric_as_content(rubric: Rubric) -> dict:
    """The rubric in the parsed-content shape, e.g. to start a new version from it."""
    return {
        "slug": rubric.slug,
        "name": rubric.name,
        "description": rubric.description,
        "levels": rubric.levels,
        "criteria": [
            {
                "key": c.key,
                "title": c.title,
                "step": c.step,
                "weight": c.weight,
                "description": c.description,
                "anchors": c.anchors,
            }
            for c in rubric.criteria.all()
        ],
    }


def rubric_new_version(*, rubric: Rubric) -> Rubric:
    """Copy `rubric` into a new, editable version (the admin's way to change a used rubric)."""
    return rubric_create_version(parsed=rubric_as_content(rubric))


def rubric_get_default() -> Rubric:
    """The newest version of the default rubric; load_content must have run."""
    rubric = Rubric.objects.filter(slug=DEFAULT_RUBRIC_SLUG).order_by("-version").first()
    if rubric is None:
        raise Rubric.DoesNotExist("No default rubric: run `python manage.py load_content`.")
    return rubric
