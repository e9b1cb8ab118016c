import hashlib
import json
from decimal import Decimal, InvalidOperation
from pathlib import Path

import yaml
from django.db import transaction

from casestudies.framework import STEP_KEYS
from casestudies.guide import SLUG_RE, ContentError

from .models import LEVELS, Criterion, Rubric
from .scoring import MAX_LEVEL, MIN_LEVEL, TARGET_LEVELS

RUBRIC_CONTENT_DIR = Path(__file__).resolve().parent / "content"
DEFAULT_RUBRIC_SLUG = "ml-system-design"
MAX_LISTEN_FOR = 4  # cues per criterion: the card is read while listening
MAX_LISTEN_FOR_WORDS = 12


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


def _listen_for(value, where: str) -> list[str]:
    if value is None:
        return []
    if not isinstance(value, list) or len(value) > MAX_LISTEN_FOR:
        raise ContentError(f"{where}: a list of at most {MAX_LISTEN_FOR} short cues")
    cues = []
    for i, cue in enumerate(value):
        if not isinstance(cue, str) or not cue.strip():
            raise ContentError(f"{where}[{i}]: expected non-empty text")
        if len(cue.split()) > MAX_LISTEN_FOR_WORDS:
            raise ContentError(f"{where}[{i}]: at most {MAX_LISTEN_FOR_WORDS} words")
        cues.append(cue.strip())
    return cues


def _scoring(value, keys: set[str]) -> dict:
    """Check a `scoring` scheme (see rubrics.scoring.Scheme); {} when the file has none."""
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise ContentError("scoring: expected an object")
    gates = value.get("gates") or []
    if not isinstance(gates, list) or not set(gates) <= keys or len(set(gates)) != len(gates):
        raise ContentError("scoring.gates: a list of distinct criterion keys")
    bars = value.get("bars")
    if not isinstance(bars, dict) or sorted(bars) != sorted(TARGET_LEVELS):
        raise ContentError(f"scoring.bars: a score bar for each of {list(TARGET_LEVELS)}")
    try:
        edges = [Decimal(str(bars[level])) for level in TARGET_LEVELS]
        margins = {
            name: Decimal(str(value.get(name))) for name in ("strong_margin", "no_hire_margin")
        }
    except InvalidOperation as exc:
        raise ContentError("scoring: bars and margins are numbers") from exc
    if edges != sorted(set(edges)) or not MIN_LEVEL < edges[0] <= edges[-1] <= MAX_LEVEL:
        raise ContentError("scoring.bars: rising from mid to staff, within the levels")
    if not all(margin > 0 for margin in margins.values()):
        raise ContentError("scoring: margins must be positive")
    return {
        "gates": gates,
        "bars": {level: str(edge) for level, edge in zip(TARGET_LEVELS, edges, strict=True)},
        **{name: str(margin) for name, margin in margins.items()},
    }


def parse_rubric(data) -> dict:
    """Check a rubric content file; return {slug, name, description, levels, scoring,
    criteria: [...]} and `version` when the file names the version it holds."""
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
                "listen_for": _listen_for(raw.get("listen_for"), f"{where}.listen_for"),
            }
        )
    if not criteria:
        raise ContentError("criteria: at least one criterion is needed")
    parsed = {
        "slug": slug,
        "name": str(data.get("name") or slug).strip(),
        "description": str(data.get("description") or "").strip(),
        "levels": _level_map(data.get("levels"), "levels"),
        "scoring": _scoring(data.get("scoring"), seen),
        "criteria": criteria,
    }
    if "version" in data:
        version = data["version"]
        if isinstance(version, bool) or not isinstance(version, int) or version < 1:
            raise ContentError("version: a positive whole number")
        parsed["version"] = version
    return parsed


def _content_hash(parsed: dict) -> str:
    """The digest of what a version holds. The version number is not content, and fields added
    later count only when used, so content loaded before they existed keeps its digest."""
    content = {key: value for key, value in parsed.items() if key != "version"}
    if not content.get("scoring"):
        content.pop("scoring", None)
    content["criteria"] = [
        {key: value for key, value in c.items() if key != "listen_for" or value}
        for c in content["criteria"]
    ]
    return hashlib.sha256(json.dumps(content, sort_keys=True, default=str).encode()).hexdigest()


@transaction.atomic
def rubric_create_version(*, parsed: dict) -> Rubric:
    """Create version `parsed['version']` of `parsed['slug']`, or the next one when the content
    names no version, with the given content."""
    latest = Rubric.objects.filter(slug=parsed["slug"]).order_by("-version").first()
    rubric = Rubric.objects.create(
        slug=parsed["slug"],
        version=parsed.get("version") or ((latest.version + 1) if latest else 1),
        name=parsed["name"],
        description=parsed["description"],
        levels=parsed["levels"],
        scoring=parsed.get("scoring") or {},
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

    Content that names its version (one file per version) is compared with that version:
    created when missing, updated in place while no session uses it, refused once one does.
    Content without a version is compared with the latest one: unchanged does nothing, changed
    updates it in place while no session uses it, and otherwise creates a new version.
    Returns (rubric, what happened).
    """
    versions = Rubric.objects.select_for_update().filter(slug=parsed["slug"])
    if parsed.get("version"):
        versions = versions.filter(version=parsed["version"])
    latest = versions.order_by("-version").first()
    digest = _content_hash(parsed)
    if latest is None:
        return rubric_create_version(parsed=parsed), "created"
    if latest.content_hash == digest:
        return latest, "unchanged"
    if latest.is_locked:
        if parsed.get("version"):
            raise ContentError(
                f"{latest} is used by sessions and cannot change; put the change in a new version"
            )
        return rubric_create_version(parsed=parsed), "new version (previous one is in use)"
    latest.scoring = parsed.get("scoring") or {}
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
        "scoring": rubric.scoring,
        "criteria": [
            {
                "key": c.key,
                "title": c.title,
                "step": c.step,
                "weight": c.weight,
                "description": c.description,
                "anchors": c.anchors,
                "listen_for": c.listen_for,
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
