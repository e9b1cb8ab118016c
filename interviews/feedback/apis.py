"""HTTP API for scores, notes, the self-assessment and releasing feedback. Thin: parse, call a
selector or service, serialize."""

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response
from rest_framework.views import APIView

from rubrics.scoring import TARGET_LEVEL_CHOICES, Judgement, judge_items

from ..limits import MAX_COMMENT_BYTES, MAX_NOTE_BYTES, MaxBytesValidator
from ..models import InterviewSession, Note, Role, Score, SelfAssessment
from ..sessions.apis import SessionDetailSchema, public_base_url, session_detail_data
from ..sessions.permissions import (
    NOT_RELEASED,
    can_see_feedback,
    require_candidate,
    require_interviewer,
)
from ..sessions.selectors import session_get_for_user
from . import services


def _interviewer_input(request, session_id, serializer) -> tuple[InterviewSession, str, dict]:
    """The session, the role and the validated body of a change only the interviewer may make
    (asked before the body is read: a candidate learns nothing from a validation error)."""
    session, role = session_get_for_user(user=request.user, session_id=session_id)
    require_interviewer(role)
    data = serializer(data=request.data)
    data.is_valid(raise_exception=True)
    return session, role, data.validated_data


class ScoreOutput(serializers.Serializer):
    criterion = serializers.CharField(source="key")
    title = serializers.CharField()
    step = serializers.CharField()
    weight = serializers.DecimalField(max_digits=5, decimal_places=2)
    level = serializers.IntegerField(allow_null=True)
    comment = serializers.CharField()


class ScoresOutput(serializers.Serializer):
    scores = ScoreOutput(many=True)
    weighted_score = serializers.CharField(allow_null=True)
    band = serializers.CharField(allow_null=True)
    scored_weight = serializers.CharField()
    target_level = serializers.ChoiceField(choices=TARGET_LEVEL_CHOICES)
    verdict = serializers.CharField(
        allow_null=True, help_text='"meets senior"; null where the rubric has no level bars'
    )
    gates_failed = serializers.ListField(
        child=serializers.CharField(), help_text="must-pass criteria scored 1 or left unscored"
    )


def scores_data(session: InterviewSession) -> dict:
    """Every criterion of the session's rubric with its level and comment, and the result."""
    scores = {s.criterion_id: s for s in Score.objects.filter(session=session)}
    rows = []
    for criterion in session.rubric.criteria.all():
        score = scores.get(criterion.pk)
        criterion.level = score.level if score else None
        criterion.comment = score.comment if score else ""
        rows.append(criterion)
    result = judge_items(
        session.rubric.scoring,
        ((c.key, c.weight, c.level) for c in rows),
        target_level=session.target_level,
    )
    judged = isinstance(result, Judgement)
    return {
        "scores": ScoreOutput(rows, many=True).data,
        "weighted_score": str(result.score) if result.score is not None else None,
        "band": result.band,
        "scored_weight": str(result.scored_weight),
        "target_level": session.target_level,
        "verdict": result.verdict if judged else None,
        "gates_failed": [*result.gates_failed, *result.gates_unscored] if judged else [],
    }


class ScoresApi(APIView):
    class Input(serializers.Serializer):
        criterion = serializers.SlugField(max_length=80)
        level = serializers.IntegerField(min_value=1, max_value=4, allow_null=True)
        comment = serializers.CharField(
            required=False,
            allow_blank=True,
            trim_whitespace=False,
            validators=[MaxBytesValidator(MAX_COMMENT_BYTES)],
        )

    @extend_schema(responses=ScoresOutput)
    def get(self, request, session_id):
        session, role = session_get_for_user(user=request.user, session_id=session_id)
        if not can_see_feedback(session=session, role=role):
            raise PermissionDenied(NOT_RELEASED)
        return Response(scores_data(session))

    @extend_schema(request=Input, responses=ScoresOutput)
    def put(self, request, session_id):
        session, role, data = _interviewer_input(request, session_id, self.Input)
        services.score_set(
            session=session,
            role=role,
            criterion_key=data["criterion"],
            level=data["level"],
            comment=data.get("comment"),
        )
        return Response(scores_data(session))


class NoteOutput(serializers.ModelSerializer):
    class Meta:
        model = Note
        fields = ["step", "text", "shared", "updated_at"]


class NotesApi(APIView):
    class Input(serializers.Serializer):
        step = serializers.CharField(max_length=20)
        text = serializers.CharField(
            allow_blank=True,
            trim_whitespace=False,
            validators=[MaxBytesValidator(MAX_NOTE_BYTES)],
        )
        shared = serializers.BooleanField(required=False)

    @extend_schema(responses=NoteOutput(many=True))
    def get(self, request, session_id):
        session, role = session_get_for_user(user=request.user, session_id=session_id)
        notes = Note.objects.filter(session=session).order_by("id")
        if role != Role.INTERVIEWER:
            # Candidates see only notes the interviewer shared, once feedback is released;
            # observers never see private notes.
            if role != Role.CANDIDATE or not can_see_feedback(session=session, role=role):
                raise PermissionDenied(NOT_RELEASED)
            notes = notes.filter(shared=True)
        return Response(NoteOutput(notes, many=True).data)

    @extend_schema(request=Input, responses=NoteOutput)
    def put(self, request, session_id):
        session, role, data = _interviewer_input(request, session_id, self.Input)
        note = services.note_save(session=session, role=role, **data)
        return Response(NoteOutput(note).data)


class ReleaseFeedbackApi(APIView):
    @extend_schema(request=None, responses=SessionDetailSchema)
    def post(self, request, session_id):
        session, role = session_get_for_user(user=request.user, session_id=session_id)
        services.feedback_release(session=session, role=role)
        return Response(
            session_detail_data(
                session, user=request.user, role=role, base_url=public_base_url(request)
            )
        )


class SelfAssessmentOutput(serializers.Serializer):
    levels = serializers.DictField(child=serializers.IntegerField())
    updated_at = serializers.DateTimeField()


class SelfAssessmentApi(APIView):
    class Input(serializers.Serializer):
        levels = serializers.DictField(child=serializers.IntegerField(min_value=1, max_value=4))

    class Current(serializers.Serializer):
        self_assessment = SelfAssessmentOutput(
            allow_null=True, help_text="null until the candidate gives one"
        )

    # Asked by the report page before the candidate has given one: not given yet is an answer
    # (200, null), not an error status the browser would report in its console.
    @extend_schema(responses=Current)
    def get(self, request, session_id):
        session, role = session_get_for_user(user=request.user, session_id=session_id)
        assessment = SelfAssessment.objects.filter(session=session).first()
        return Response(self.Current({"self_assessment": assessment}).data)

    @extend_schema(request=Input, responses=SelfAssessmentOutput)
    def put(self, request, session_id):
        session, role = session_get_for_user(user=request.user, session_id=session_id)
        require_candidate(role)
        data = self.Input(data=request.data)
        data.is_valid(raise_exception=True)
        assessment = services.self_assessment_save(
            session=session, role=role, levels=data.validated_data["levels"]
        )
        return Response(SelfAssessmentOutput(assessment).data)
