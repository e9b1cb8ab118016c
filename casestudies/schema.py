"""Serializers that document the interviewer guide's JSON (checked by guide.check_guide) in the
API schema, so clients get real types for it."""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from .framework import STEP_KEYS, STEPS


class CaseStudyBrief(serializers.Serializer):
    """A case study as sessions and reports name it."""

    slug = serializers.CharField()
    title = serializers.CharField()
    domain = serializers.CharField()
    difficulty = serializers.CharField()


class ClarifyingQuestion(serializers.Serializer):
    question = serializers.CharField()
    answer = serializers.CharField()


class KeyConcept(serializers.Serializer):
    name = serializers.CharField()
    aliases = serializers.ListField(child=serializers.CharField())
    examples = serializers.ListField(
        child=serializers.CharField(),
        required=False,
        help_text="How candidates put it in their own words; the report's meaning check "
        "compares unsure writing with these.",
    )


class StepGuide(serializers.Serializer):
    hints = serializers.ListField(child=serializers.CharField())
    key_concepts = KeyConcept(many=True)
    strong_answer = serializers.CharField()


class FollowUp(serializers.Serializer):
    question = serializers.CharField()
    step = serializers.ChoiceField(
        choices=[(step.key, step.title) for step in STEPS],  # the same enum as other steps
        allow_null=True,
        help_text="The step the question probes; null for a question with no step.",
    )


class Pitfall(serializers.Serializer):
    title = serializers.CharField()
    why = serializers.CharField()


class PitfallRule(serializers.Serializer):
    """How this case changes one of the report's pitfall rules."""

    enabled = serializers.BooleanField(required=False)
    reason = serializers.CharField(required=False)
    terms = serializers.ListField(child=serializers.CharField(), required=False)
    extra_terms = serializers.ListField(child=serializers.CharField(), required=False)


StepsGuide = type("StepsGuide", (serializers.Serializer,), {key: StepGuide() for key in STEP_KEYS})


class Guide(serializers.Serializer):
    clarifying_questions = ClarifyingQuestion(many=True)
    steps = StepsGuide()
    pitfalls = Pitfall(many=True)
    follow_ups = FollowUp(many=True)
    pitfall_rules = serializers.DictField(
        child=PitfallRule(), required=False, help_text="rule code → change for this case"
    )


@extend_schema_field(Guide)
class GuideField(serializers.JSONField):
    """The stored guide as it is, documented as Guide."""
