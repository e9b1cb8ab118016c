"""The feedback report's content (services.reports.report_content) described for the API
schema, so the browser app's types are generated rather than written by hand. Schema only:
the content is stored and served as the JSON the service built."""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from casestudies.framework import STEP_KEYS
from casestudies.schema import CaseStudyBrief
from rubrics.scoring import TARGET_LEVEL_CHOICES


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
    # Present for rubrics with must-pass criteria and level bars (the default from version 2).
    gate = serializers.BooleanField(required=False, help_text="a must-pass criterion")
    not_reached = serializers.BooleanField(
        required=False, help_text="unscored because the interview never reached its step"
    )


class ReportGate(serializers.Serializer):
    key = serializers.CharField()
    title = serializers.CharField()
    level = serializers.IntegerField(allow_null=True)
    passed = serializers.BooleanField()


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
    # The fields below are absent for rubrics without level bars (version 1).
    target_level = serializers.ChoiceField(choices=TARGET_LEVEL_CHOICES, required=False)
    level_met = serializers.CharField(allow_null=True, required=False)
    verdict = serializers.CharField(
        allow_null=True, required=False, help_text='"meets senior", "below senior, meets mid"'
    )
    gates = ReportGate(many=True, required=False)
    gate_note = serializers.CharField(required=False)
    unscored_note = serializers.CharField(required=False)


class TotalTime(serializers.Serializer):
    planned_minutes = serializers.FloatField()
    actual_minutes = serializers.FloatField()
    overrun_minutes = serializers.FloatField()


class StepTime(TotalTime):
    key = serializers.CharField()
    title = serializers.CharField()
    share = serializers.FloatField()


class ReportTime(serializers.Serializer):
    steps = StepTime(many=True)
    total = TotalTime()


def OVERRIDE():  # noqa: N802 (a field factory, read like a field)
    return serializers.ChoiceField(
        choices=["confirmed", "rejected"],
        required=False,
        help_text="the interviewer's decision before release; absent when none",
    )


def POSITION():  # noqa: N802
    return serializers.IntegerField(
        required=False, help_text="order as built (kept while overrides move items)"
    )


class Quote(serializers.Serializer):
    """The candidate's words behind a credit or a pitfall, and where and when they were
    written."""

    quote = serializers.CharField()
    source = serializers.ChoiceField(
        choices=["board", "chat", "speech", "text"],
        help_text="speech: said aloud (from the transcript); `at` is when",
    )
    at = serializers.DateTimeField(allow_null=True)
    step = serializers.CharField(allow_null=True)


class SemanticSignal(serializers.Serializer):
    available = serializers.BooleanField()
    model = serializers.CharField()
    reason = serializers.CharField(help_text="why it was unavailable; empty when available")


class FoundConcept(serializers.Serializer):
    name = serializers.CharField()
    matched = serializers.CharField()
    # Absent in reports built before evidence was recorded (content version 1).
    evidence = Quote(many=True, required=False)
    signal = serializers.ChoiceField(
        choices=["words", "meaning"],
        required=False,
        help_text="words: the words settle it; meaning: unsure words confirmed by the "
        "semantic signal",
    )
    override = OVERRIDE()
    position = POSITION()


class StepCoverage(serializers.Serializer):
    found = FoundConcept(many=True)
    missing = serializers.ListField(child=serializers.CharField())
    rejected = FoundConcept(
        many=True, required=False, help_text="credits the interviewer rejected; not counted"
    )


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
    semantic = SemanticSignal(required=False)  # absent before content version 2
    rejected = serializers.IntegerField(required=False, help_text="credits rejected on review")


class ReportPitfall(serializers.Serializer):
    code = serializers.CharField()
    title = serializers.CharField()
    why = serializers.CharField()
    evidence = serializers.CharField()
    quotes = Quote(many=True, required=False)  # absent before content version 2
    override = OVERRIDE()
    position = POSITION()


class BoardSnapshot(serializers.Serializer):
    step = serializers.CharField()
    title = serializers.CharField()
    reason = serializers.CharField()
    at = serializers.DateTimeField(required=False)  # absent before content version 4
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


class TranscriptLine(serializers.Serializer):
    speaker = serializers.CharField()
    role = serializers.ChoiceField(choices=["interviewer", "candidate"])
    start = serializers.DateTimeField()
    end = serializers.DateTimeField()
    text = serializers.CharField()


class TranscriptStep(serializers.Serializer):
    step = serializers.CharField(allow_null=True, help_text="null: before the timer started")
    title = serializers.CharField()
    segments = TranscriptLine(many=True)


class SpokenTime(serializers.Serializer):
    interviewer_seconds = serializers.FloatField()
    candidate_seconds = serializers.FloatField()
    candidate_share = serializers.FloatField(allow_null=True)


class StepSpokenTime(SpokenTime):
    step = serializers.CharField()
    title = serializers.CharField()


class SpeakingTime(serializers.Serializer):
    total = SpokenTime()
    steps = StepSpokenTime(many=True)


class ChunkCounts(serializers.Serializer):
    pending = serializers.IntegerField()
    transcribed = serializers.IntegerField()
    failed = serializers.IntegerField()
    total = serializers.IntegerField()


class ChunkFailure(serializers.Serializer):
    index = serializers.IntegerField()
    role = serializers.CharField()
    reason = serializers.CharField()


class ReportTranscript(serializers.Serializer):
    status = serializers.ChoiceField(choices=["none", "complete", "partial", "failed"])
    note = serializers.CharField(help_text="why the transcript is missing or incomplete")
    chunks = ChunkCounts()
    failures = ChunkFailure(many=True)
    steps = TranscriptStep(many=True)
    speaking = SpeakingTime()


class ReportContent(serializers.Serializer):
    version = serializers.IntegerField()
    generated_at = serializers.DateTimeField()
    session = ReportSession()
    rubric = ReportRubric()
    time = ReportTime()
    coverage = ReportCoverage()
    pitfalls = ReportPitfall(many=True)
    rejected_pitfalls = ReportPitfall(
        many=True, required=False, help_text="pitfalls the interviewer rejected before release"
    )
    whiteboard = ReportWhiteboard()
    self_assessment = ReportSelfAssessment()
    progress = ReportProgress()
    notes = SharedNote(many=True)
    transcript = ReportTranscript(required=False)  # absent before content version 3


@extend_schema_field(ReportContent(allow_null=True))
class ReportContentField(serializers.JSONField):
    """The stored content as it is, documented as ReportContent."""
