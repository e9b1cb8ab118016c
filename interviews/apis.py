"""HTTP API for sessions, invites, scores and notes. Thin: parse, call a selector or service,
serialize. Role decides which fields a participant sees."""

from django.db import transaction
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import exceptions, serializers, status
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response
from rest_framework.views import APIView

from casestudies.models import CaseStudy
from casestudies.schema import CaseStudyBrief, GuideField
from config.pagination import PageNumberPagination, paginated_response
from rubrics.scoring import score_items

from . import services
from .models import InterviewSession, Invite, Note, Report, Role, Score, SelfAssessment
from .report_schema import ReportContent, ReportContentField
from .selectors import (
    can_see_feedback,
    report_content_for,
    session_get_for_user,
    session_list_for_user,
)


class ParticipantOutput(serializers.Serializer):
    username = serializers.CharField(source="user.username")
    role = serializers.CharField()


class InviteOutput(serializers.ModelSerializer):
    url = serializers.SerializerMethodField()
    used = serializers.SerializerMethodField()

    class Meta:
        model = Invite
        fields = ["token", "role", "url", "expires_at", "used"]

    def get_url(self, invite) -> str:
        return services.invite_url(invite)

    def get_used(self, invite) -> bool:
        return invite.used_at is not None


class SessionOutput(serializers.ModelSerializer):
    """What any participant sees of a session."""

    case_study = CaseStudyBrief()
    plan = serializers.DictField(child=serializers.IntegerField())
    participants = ParticipantOutput(many=True)
    my_role = serializers.SerializerMethodField()
    report_status = serializers.ChoiceField(
        choices=Report.Status.choices, source="report.status", default=None, allow_null=True
    )
    feedback_released = serializers.BooleanField()

    class Meta:
        model = InterviewSession
        fields = [
            "id",
            "case_study",
            "rubric_id",
            "plan",
            "status",
            "scheduled_for",
            "started_at",
            "ended_at",
            "auto_advance",
            "auto_release",
            "feedback_released",
            "board_locked",
            "participants",
            "my_role",
            "report_status",
            "created_at",
        ]

    @extend_schema_field(serializers.ChoiceField(choices=Role.choices, allow_null=True))
    def get_my_role(self, session) -> str | None:
        user = self.context["user"]
        return next((p.role for p in session.participants.all() if p.user_id == user.pk), None)


class SessionDetailOutput(SessionOutput):
    prompt = serializers.CharField(source="case_study.prompt")

    class Meta(SessionOutput.Meta):
        fields = [*SessionOutput.Meta.fields, "prompt"]


class SessionDetailSchema(SessionDetailOutput):
    """Documents the role-dependent fields session_detail_data adds."""

    interviewer_guide = GuideField(required=False, help_text="interviewer only")
    invites = InviteOutput(
        many=True, required=False, help_text="unused invites; for the creator and the interviewer"
    )

    class Meta(SessionDetailOutput.Meta):
        fields = [*SessionDetailOutput.Meta.fields, "interviewer_guide", "invites"]


def session_detail_data(session: InterviewSession, *, user, role: str) -> dict:
    """Session detail filtered by role: the guide for the interviewer only; pending invites for
    whoever created the session (they hand them out) and the interviewer."""
    data = SessionDetailOutput(session, context={"user": user}).data
    if role == Role.INTERVIEWER:
        data["interviewer_guide"] = session.case_study.guide
    if role == Role.INTERVIEWER or session.created_by_id == user.pk:
        pending = session.invites.filter(used_at__isnull=True)
        data["invites"] = InviteOutput(pending, many=True).data
    return data


class SessionListCreateApi(APIView):
    pagination_class = PageNumberPagination

    class Filter(serializers.Serializer):
        status = serializers.ChoiceField(choices=InterviewSession.Status.choices, required=False)
        role = serializers.ChoiceField(choices=Role.choices, required=False)
        page = serializers.IntegerField(min_value=1, required=False)
        page_size = serializers.IntegerField(
            min_value=1, max_value=PageNumberPagination.max_page_size, required=False
        )

    class Input(serializers.Serializer):
        case_study = serializers.SlugRelatedField(
            slug_field="slug", queryset=CaseStudy.objects.all()
        )
        role = serializers.ChoiceField(choices=[Role.INTERVIEWER, Role.CANDIDATE])
        plan = serializers.DictField(child=serializers.IntegerField(), required=False)
        scheduled_for = serializers.DateTimeField(required=False, allow_null=True)
        auto_advance = serializers.BooleanField(required=False, default=False)
        auto_release = serializers.BooleanField(required=False, default=False)

    class CreateOutput(SessionDetailOutput):
        invite = serializers.SerializerMethodField()

        class Meta(SessionDetailOutput.Meta):
            fields = [*SessionDetailOutput.Meta.fields, "invite"]

        @extend_schema_field(InviteOutput)
        def get_invite(self, session) -> dict:
            return InviteOutput(self.context["invite"]).data

    @extend_schema(parameters=[Filter], responses=SessionOutput(many=True))
    def get(self, request):
        filters = self.Filter(data=request.query_params)
        filters.is_valid(raise_exception=True)
        sessions = session_list_for_user(
            user=request.user,
            status=filters.validated_data.get("status"),
            role=filters.validated_data.get("role"),
        )
        return paginated_response(
            queryset=sessions,
            serializer_class=SessionOutput,
            request=request,
            view=self,
            context={"user": request.user},
        )

    @extend_schema(request=Input, responses={201: CreateOutput})
    def post(self, request):
        data = self.Input(data=request.data)
        data.is_valid(raise_exception=True)
        session, invite = services.session_create(user=request.user, **data.validated_data)
        session, _ = session_get_for_user(user=request.user, session_id=session.id)
        output = self.CreateOutput(session, context={"user": request.user, "invite": invite})
        return Response(output.data, status=status.HTTP_201_CREATED)


class SessionDetailApi(APIView):
    @extend_schema(responses=SessionDetailSchema)
    def get(self, request, session_id):
        session, role = session_get_for_user(user=request.user, session_id=session_id)
        return Response(session_detail_data(session, user=request.user, role=role))


class InviteDetailApi(APIView):
    """What an invite is for, so the invite page can say what accepting it does."""

    class Output(serializers.Serializer):
        role = serializers.CharField()
        case_study = CaseStudyBrief(source="session.case_study")
        invited_by = serializers.CharField(source="created_by.username")
        session_id = serializers.UUIDField()
        session_status = serializers.CharField(source="session.status")
        expires_at = serializers.DateTimeField()
        used = serializers.BooleanField()

    @extend_schema(responses=Output)
    def get(self, request, token: str):
        invite = get_object_or_404(
            Invite.objects.select_related("session__case_study", "created_by"), token=token
        )
        invite.used = invite.used_at is not None
        return Response(self.Output(invite).data)


class InviteAcceptApi(APIView):
    class Output(serializers.Serializer):
        session_id = serializers.UUIDField()
        role = serializers.CharField()

    @extend_schema(request=None, responses=Output)
    def post(self, request, token: str):
        try:
            participant = services.invite_accept(token=token, user=request.user)
        except Invite.DoesNotExist:
            return Response({"detail": "No such invite."}, status=status.HTTP_404_NOT_FOUND)
        return Response(self.Output(participant).data)


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


def scores_data(session: InterviewSession) -> dict:
    """Every criterion of the session's rubric with its level and comment, and the result."""
    scores = {s.criterion_id: s for s in Score.objects.filter(session=session)}
    rows = []
    for criterion in session.rubric.criteria.all():
        score = scores.get(criterion.pk)
        criterion.level = score.level if score else None
        criterion.comment = score.comment if score else ""
        rows.append(criterion)
    result = score_items((c.key, c.weight, c.level) for c in rows)
    return {
        "scores": ScoreOutput(rows, many=True).data,
        "weighted_score": str(result.score) if result.score is not None else None,
        "band": result.band,
        "scored_weight": str(result.scored_weight),
    }


class ScoresApi(APIView):
    class Input(serializers.Serializer):
        criterion = serializers.SlugField(max_length=80)
        level = serializers.IntegerField(min_value=1, max_value=4, allow_null=True)
        comment = serializers.CharField(
            max_length=4000, required=False, allow_blank=True, trim_whitespace=False
        )

    @extend_schema(responses=ScoresOutput)
    def get(self, request, session_id):
        session, role = session_get_for_user(user=request.user, session_id=session_id)
        if not can_see_feedback(session=session, role=role):
            return _not_released()
        return Response(scores_data(session))

    @extend_schema(request=Input, responses=ScoresOutput)
    def put(self, request, session_id):
        session, role = session_get_for_user(user=request.user, session_id=session_id)
        services.require_interviewer(role)
        data = self.Input(data=request.data)
        data.is_valid(raise_exception=True)
        with transaction.atomic():
            services.score_set(
                session=session,
                role=role,
                criterion_key=data.validated_data["criterion"],
                level=data.validated_data["level"],
                comment=data.validated_data.get("comment"),
            )
            if session.status == InterviewSession.Status.ENDED:
                services.report_rebuild(session)
        return Response(scores_data(session))


class NoteOutput(serializers.ModelSerializer):
    class Meta:
        model = Note
        fields = ["step", "text", "shared", "updated_at"]


class NotesApi(APIView):
    class Input(serializers.Serializer):
        step = serializers.CharField(max_length=20)
        text = serializers.CharField(max_length=20000, allow_blank=True, trim_whitespace=False)
        shared = serializers.BooleanField(required=False)

    @extend_schema(responses=NoteOutput(many=True))
    def get(self, request, session_id):
        session, role = session_get_for_user(user=request.user, session_id=session_id)
        notes = Note.objects.filter(session=session).order_by("id")
        if role != Role.INTERVIEWER:
            # Candidates see only notes the interviewer shared, once feedback is released;
            # observers never see private notes.
            if role != Role.CANDIDATE or not can_see_feedback(session=session, role=role):
                return _not_released()
            notes = notes.filter(shared=True)
        return Response(NoteOutput(notes, many=True).data)

    @extend_schema(request=Input, responses=NoteOutput)
    def put(self, request, session_id):
        session, role = session_get_for_user(user=request.user, session_id=session_id)
        services.require_interviewer(role)
        data = self.Input(data=request.data)
        data.is_valid(raise_exception=True)
        with transaction.atomic():
            note = services.note_save(session=session, role=role, **data.validated_data)
            if session.status == InterviewSession.Status.ENDED:
                services.report_rebuild(session)
        return Response(NoteOutput(note).data)


class ReleaseFeedbackApi(APIView):
    @extend_schema(request=None, responses=SessionDetailSchema)
    def post(self, request, session_id):
        session, role = session_get_for_user(user=request.user, session_id=session_id)
        services.feedback_release(session=session, role=role)
        return Response(session_detail_data(session, user=request.user, role=role))


def _not_released() -> Response:
    return Response(
        {"detail": "Feedback has not been released by the interviewer yet."},
        status=status.HTTP_403_FORBIDDEN,
    )


class ReportApi(APIView):
    """The feedback report's status, and its content once the viewer may see it (the
    interviewer always; the others once feedback is released)."""

    class Output(serializers.Serializer):
        status = serializers.ChoiceField(choices=Report.Status.choices)
        error = serializers.CharField()
        attempts = serializers.IntegerField()
        updated_at = serializers.DateTimeField()
        finished_at = serializers.DateTimeField(allow_null=True)
        released = serializers.BooleanField()
        content = ReportContentField(allow_null=True)

    @extend_schema(responses=Output)
    def get(self, request, session_id):
        session, role = session_get_for_user(user=request.user, session_id=session_id)
        report = get_object_or_404(Report, session=session)
        visible = can_see_feedback(session=session, role=role)
        return Response(
            self.Output(
                {
                    "status": report.status,
                    "error": report.error if role == Role.INTERVIEWER else "",
                    "attempts": report.attempts,
                    "updated_at": report.updated_at,
                    "finished_at": report.finished_at,
                    "released": session.feedback_released,
                    "content": report_content_for(role, report.content)
                    if visible and report.status == Report.Status.READY
                    else None,
                }
            ).data
        )


def _visible_content(request, session_id) -> dict:
    """The report content the requester may download; 403 before release, 409 before ready."""
    session, role = session_get_for_user(user=request.user, session_id=session_id)
    if not can_see_feedback(session=session, role=role):
        raise PermissionDenied("Feedback has not been released by the interviewer yet.")
    report = get_object_or_404(Report, session=session)
    if report.status != Report.Status.READY:
        raise Conflict("The report is not ready yet.")
    return report_content_for(role, report.content)


class Conflict(exceptions.APIException):
    status_code = status.HTTP_409_CONFLICT
    default_code = "not_ready"


class ReportRegenerateApi(APIView):
    class Output(serializers.Serializer):
        status = serializers.CharField()

    @extend_schema(request=None, responses={202: Output})
    def post(self, request, session_id):
        session, role = session_get_for_user(user=request.user, session_id=session_id)
        services.report_regenerate(session=session, role=role)
        return Response({"status": "pending"}, status=status.HTTP_202_ACCEPTED)


class ReportPdfApi(APIView):
    @extend_schema(responses={(200, "application/pdf"): bytes})
    def get(self, request, session_id):
        from .reports.pdf import render_report_pdf

        content = _visible_content(request, session_id)
        response = HttpResponse(render_report_pdf(content), content_type="application/pdf")
        response["Content-Disposition"] = f'attachment; filename="mockroom-report-{session_id}.pdf"'
        return response


class ReportJsonApi(APIView):
    @extend_schema(responses=ReportContent)
    def get(self, request, session_id):
        content = _visible_content(request, session_id)
        response = Response(content)
        response["Content-Disposition"] = (
            f'attachment; filename="mockroom-report-{session_id}.json"'
        )
        return response


class SelfAssessmentApi(APIView):
    class Input(serializers.Serializer):
        levels = serializers.DictField(child=serializers.IntegerField(min_value=1, max_value=4))

    class Output(serializers.Serializer):
        levels = serializers.DictField(child=serializers.IntegerField())
        updated_at = serializers.DateTimeField()

    @extend_schema(responses=Output)
    def get(self, request, session_id):
        session, role = session_get_for_user(user=request.user, session_id=session_id)
        assessment = SelfAssessment.objects.filter(session=session).first()
        if assessment is None:
            return Response({"detail": "No self-assessment yet."}, status=404)
        return Response(self.Output(assessment).data)

    @extend_schema(request=Input, responses=Output)
    def put(self, request, session_id):
        session, role = session_get_for_user(user=request.user, session_id=session_id)
        if role != Role.CANDIDATE:
            raise PermissionDenied("Only the candidate assesses themselves.")
        data = self.Input(data=request.data)
        data.is_valid(raise_exception=True)
        assessment = services.self_assessment_save(
            session=session, role=role, levels=data.validated_data["levels"]
        )
        return Response(self.Output(assessment).data)
