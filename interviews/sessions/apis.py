"""HTTP API for sessions and invites. Thin: parse, call a selector or service, serialize. Role
decides which fields a participant sees."""

from django.conf import settings
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from casestudies.models import CaseStudy
from casestudies.schema import CaseStudyBrief, GuideField
from config.pagination import PageNumberPagination, paginated_response
from config.throttling import InviteCreateThrottle, SessionCreateThrottle
from rubrics.scoring import DEFAULT_TARGET_LEVEL, TARGET_LEVEL_CHOICES

from ..models import InterviewSession, Invite, Report, Role
from . import services
from .selectors import guide_for, session_get_for_user, session_list_for_user


class ParticipantOutput(serializers.Serializer):
    username = serializers.CharField(source="user.username")
    role = serializers.CharField()


def public_base_url(request) -> str:
    """The app's origin for links handed out in answer to `request`: PUBLIC_BASE_URL when set,
    else the origin the request came to. Django's get_host() refuses a Host header that is not
    in ALLOWED_HOSTS (DisallowedHost: a 400 answer), so a forged Host never ends up in a link."""
    if settings.PUBLIC_BASE_URL:
        return settings.PUBLIC_BASE_URL
    return request.build_absolute_uri("/").rstrip("/")


class InviteOutput(serializers.ModelSerializer):
    # Needs `base_url` in its context: where the invite link points.
    url = serializers.SerializerMethodField()
    used = serializers.SerializerMethodField()

    class Meta:
        model = Invite
        fields = ["token", "role", "url", "expires_at", "used"]

    def get_url(self, invite) -> str:
        return services.invite_url(invite, base_url=self.context["base_url"])

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
            "target_level",
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


def session_detail_data(session: InterviewSession, *, user, role: str, base_url: str) -> dict:
    """Session detail filtered by role: the guide for the interviewer only; pending invites for
    whoever created the session (they hand them out) and the interviewer, with links under
    `base_url`."""
    data = SessionDetailOutput(session, context={"user": user}).data
    guide = guide_for(user=user, session=session, role=role)
    if guide is not None:
        data["interviewer_guide"] = guide
    if role == Role.INTERVIEWER or session.created_by_id == user.pk:
        pending = session.invites.filter(used_at__isnull=True)
        data["invites"] = InviteOutput(pending, many=True, context={"base_url": base_url}).data
    return data


class SessionListCreateApi(APIView):
    pagination_class = PageNumberPagination

    def get_throttles(self):
        # Creating a session also creates its invite: both rates apply, to creating only.
        if self.request.method == "POST":
            return [SessionCreateThrottle(), InviteCreateThrottle()]
        return super().get_throttles()

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
        target_level = serializers.ChoiceField(
            choices=TARGET_LEVEL_CHOICES,
            required=False,
            default=DEFAULT_TARGET_LEVEL,
            help_text="the level the candidate is judged against",
        )

    class CreateOutput(SessionDetailOutput):
        invite = serializers.SerializerMethodField()

        class Meta(SessionDetailOutput.Meta):
            fields = [*SessionDetailOutput.Meta.fields, "invite"]

        @extend_schema_field(InviteOutput)
        def get_invite(self, session) -> dict:
            return InviteOutput(self.context["invite"], context=self.context).data

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

    @extend_schema(request=Input, responses={201: CreateOutput, 400: None, 429: None})
    def post(self, request):
        data = self.Input(data=request.data)
        data.is_valid(raise_exception=True)
        session, invite = services.session_create(user=request.user, **data.validated_data)
        session, _ = session_get_for_user(user=request.user, session_id=session.id)
        output = self.CreateOutput(
            session,
            context={
                "user": request.user,
                "invite": invite,
                "base_url": public_base_url(request),
            },
        )
        return Response(output.data, status=status.HTTP_201_CREATED)


class SessionDetailApi(APIView):
    @extend_schema(responses=SessionDetailSchema)
    def get(self, request, session_id):
        session, role = session_get_for_user(user=request.user, session_id=session_id)
        return Response(
            session_detail_data(
                session, user=request.user, role=role, base_url=public_base_url(request)
            )
        )


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
