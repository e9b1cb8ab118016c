"""The feedback report's content (services.reports.report_content) described for the API
schema, so the browser app's types are generated rather than written by hand. Schema only:
the content is stored and served as the JSON the service built."""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from casestudies.framework import STEP_KEYS
from casestudies.schema import CaseStudyBrief


def _nullable_levels():
    return type(
        "StepLevels",
        (serializers.Serializer,),
        {key: serializers.FloatField(allow_null=True) for key in STEP_KEYS},
    )


StepLevels = _nullable_levels()


class ReportSession(serializers.Serializer):
    id = serializers.UUIDField()
    case_study = CaseStudyBrief()
    interviewer = serializers.CharField(allow_null=True)
    candidate = serializers.CharField(allow_null=True)
    started_at = serializers.DateTimeField(allow_null=True)
    ended_at = serializers.DateTimeField(allow_null=True)


class ReportCriterion(serializers.Serializer):
    key = serializers.CharField()
    title = serializers.CharField()
    step = serializers.CharField(allow_null=True)
    weight = serializers.CharField()
    level = serializers.IntegerField(allow_null=True)
    level_label = serializers.CharField(allow_null=True)
    anchor = serializers.CharField(allow_null=True)
    comment = serializers.CharField()


class ReportRubric(serializers.Serializer):
    name = serializers.CharField()
    version = serializers.IntegerField()
    criteria = ReportCriterion(many=True)
    weighted_score = serializers.CharField(allow_null=True)
    band = serializers.ChoiceField(
        choices=["strong_no_hire", "lean_no_hire", "lean_hire", "strong_hire"], allow_null=True
    )
    band_label = serializers.CharField(allow_null=True)
    scored_weight = serializers.CharField()
    step_levels = StepLevels()


class StepTime(serializers.Serializer):
    key = serializers.CharField()
    title = serializers.CharField()
    planned_minutes = serializers.FloatField()
    actual_minutes = serializers.FloatField()
    overrun_minutes = serializers.FloatField()
    share = serializers.FloatField()


class TotalTime(serializers.Serializer):
    planned_minutes = serializers.FloatField()
    actual_minutes = serializers.FloatField()
    overrun_minutes = serializers.FloatField()


class ReportTime(serializers.Serializer):
    steps = StepTime(many=True)
    total = TotalTime()


class FoundConcept(serializers.Serializer):
    name = serializers.CharField()
    matched = serializers.CharField()


class StepCoverage(serializers.Serializer):
    found = FoundConcept(many=True)
    missing = serializers.ListField(child=serializers.CharField())


# Only the steps the case's guide covers are present.
CoverageSteps = type(
    "CoverageSteps",
    (serializers.Serializer,),
    {key: StepCoverage(required=False) for key in STEP_KEYS},
)


class ReportCoverage(serializers.Serializer):
    steps = CoverageSteps()
    found = serializers.IntegerField()
    total = serializers.IntegerField()


class ReportPitfall(serializers.Serializer):
    code = serializers.CharField()
    title = serializers.CharField()
    why = serializers.CharField()
    evidence = serializers.CharField()


class BoardSnapshot(serializers.Serializer):
    step = serializers.CharField()
    title = serializers.CharField()
    reason = serializers.CharField()
    svg = serializers.CharField()


class ReportWhiteboard(serializers.Serializer):
    final = serializers.CharField(help_text="SVG; show it as an image, never inline markup")
    snapshots = BoardSnapshot(many=True)


class SelfAssessedStep(serializers.Serializer):
    step = serializers.CharField()
    title = serializers.CharField()
    self_level = serializers.IntegerField(allow_null=True)
    interviewer_level = serializers.FloatField(allow_null=True)
    gap = serializers.FloatField(allow_null=True)


class ReportSelfAssessment(serializers.Serializer):
    submitted = serializers.BooleanField()
    steps = SelfAssessedStep(many=True)


class PastSession(serializers.Serializer):
    session_id = serializers.UUIDField()
    ended_at = serializers.DateTimeField(allow_null=True)
    case_study = serializers.CharField()
    step_levels = StepLevels()
    weighted_score = serializers.CharField(allow_null=True)


class WeakStep(serializers.Serializer):
    step = serializers.CharField()
    average = serializers.FloatField()
    sessions = serializers.IntegerField()


class Recommendation(serializers.Serializer):
    slug = serializers.CharField()
    title = serializers.CharField()
    focus_steps = serializers.ListField(child=serializers.CharField())
    emphasis = serializers.DictField(child=serializers.FloatField())
    score = serializers.FloatField()
    why = serializers.CharField()


class ReportProgress(serializers.Serializer):
    history = PastSession(many=True)
    weakest_steps = WeakStep(many=True)
    recommendations = Recommendation(many=True)


class SharedNote(serializers.Serializer):
    step = serializers.CharField()
    title = serializers.CharField()
    text = serializers.CharField()


class ReportContent(serializers.Serializer):
    version = serializers.IntegerField()
    generated_at = serializers.DateTimeField()
    session = ReportSession()
    rubric = ReportRubric()
    time = ReportTime()
    coverage = ReportCoverage()
    pitfalls = ReportPitfall(many=True)
    whiteboard = ReportWhiteboard()
    self_assessment = ReportSelfAssessment()
    progress = ReportProgress()
    notes = SharedNote(many=True)


@extend_schema_field(ReportContent(allow_null=True))
class ReportContentField(serializers.JSONField):
    """The stored content as it is, documented as ReportContent."""
