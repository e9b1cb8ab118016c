"""HTTP API for peer practice. Thin: parse, call a selector or service, serialize. Every input
field is type-checked here (a number where a string belongs is a 400, never coerced)."""

from datetime import timedelta

from django.http import HttpResponse
from django.utils import timezone
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import exceptions, serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from casestudies.guide import DOMAINS
from casestudies.schema import CaseStudyBrief
from config.pagination import PageNumberPagination, paginated_response
from config.throttling import PracticeRequestThrottle

from . import selectors, services, sessions_bridge
from .availability import AvailabilityError, Slot, minute_format, minute_parse
from .calendar import pairing_ics
from .models import Level, Pairing, PairingInterview, PracticeRequest
from .scoring import INTERVIEW_MINUTES, PAIRING_DURATION
from .selectors import rating_visible_to_subject

MAX_TEXT = 2000


class StrictCharField(serializers.CharField):
    """A JSON string, nothing else (DRF's CharField would turn 12 or true into text)."""

    def to_internal_value(self, data):
        if not isinstance(data, str):
            self.fail("invalid")
        return super().to_internal_value(data)


class StrictIntegerField(serializers.IntegerField):
    """A JSON integer, not a string of digits, a float or a boolean."""

    def to_internal_value(self, data):
        if isinstance(data, bool) or not isinstance(data, int):
            self.fail("invalid")
        return super().to_internal_value(data)


class StrictBooleanField(serializers.BooleanField):
    def to_internal_value(self, data):
        if not isinstance(data, bool):
            self.fail("invalid")
        return data


class HalfHourField(StrictCharField):
    """'HH:MM' on the half-hour grid, as minutes since midnight; '24:00' only as an end."""

    def __init__(self, *, end: bool = False, **kwargs):
        self.end = end
        super().__init__(**kwargs)

    def to_internal_value(self, data):
        text = super().to_internal_value(data)
        try:
            return minute_parse(text, field=self.field_name, allow_end_of_day=self.end)
        except AvailabilityError as exc:
            raise serializers.ValidationError(str(exc)) from exc

    def to_representation(self, value):
        return minute_format(value)


# --- profile and availability -------------------------------------------------------------


class SlotSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    weekday = StrictIntegerField(min_value=0, max_value=6, help_text="0 = Monday")
    start = HalfHourField(source="start_minute")
    end = HalfHourField(source="end_minute", end=True)


class RatingsSummary(serializers.Serializer):
    count = serializers.IntegerField()
    preparedness = serializers.FloatField(allow_null=True)
    hint_clarity = serializers.FloatField(allow_null=True)
    feedback_quality = serializers.FloatField(allow_null=True)


class AgreementSummary(serializers.Serializer):
    steps_compared = serializers.IntegerField()
    mean_gap = serializers.FloatField(allow_null=True, help_text="levels apart, 0 to 3")
    within_one_level = serializers.FloatField(allow_null=True, help_text="share, 0 to 1")


class ProfileOutput(serializers.Serializer):
    target_role = serializers.CharField()
    level = serializers.ChoiceField(choices=Level.choices)
    domains = serializers.ListField(child=serializers.CharField())
    time_zone = serializers.CharField()
    languages = serializers.ListField(child=serializers.CharField())
    slots = SlotSerializer(many=True)
    suspended_until = serializers.DateTimeField(allow_null=True)
    suspension_message = serializers.SerializerMethodField()
    ratings = serializers.SerializerMethodField()
    agreement = serializers.SerializerMethodField()

    @extend_schema_field(AgreementSummary)
    def get_agreement(self, profile) -> dict:
        return selectors.interviewer_agreement(subject_id=profile.user_id)

    def get_suspension_message(self, profile) -> str | None:
        until = profile.suspended_until
        if until is None or until <= timezone.now():
            return None
        return services.suspension_message(until)

    @extend_schema_field(RatingsSummary)
    def get_ratings(self, profile) -> dict:
        return selectors.ratings_summary(subject_id=profile.user_id)


class ProfileApi(APIView):
    class Input(serializers.Serializer):
        target_role = StrictCharField(max_length=100, allow_blank=True)
        level = serializers.ChoiceField(choices=Level.choices)
        domains = serializers.ListField(
            child=serializers.ChoiceField(choices=DOMAINS), max_length=len(DOMAINS)
        )
        time_zone = StrictCharField(max_length=64)
        languages = serializers.ListField(child=StrictCharField(max_length=2), max_length=10)

    @extend_schema(responses={200: ProfileOutput, 404: None})
    def get(self, request):
        profile = selectors.profile_get(user=request.user)
        if profile is None:
            return Response({"detail": "No practice profile yet."}, status=404)
        return Response(ProfileOutput(profile).data)

    @extend_schema(request=Input, responses={200: ProfileOutput, 400: None})
    def put(self, request):
        data = self.Input(data=request.data)
        data.is_valid(raise_exception=True)
        services.profile_save(user=request.user, **data.validated_data)
        return Response(ProfileOutput(selectors.profile_get(user=request.user)).data)


class AvailabilityApi(APIView):
    """The weekly slots, replaced as a whole: a bad or overlapping slot changes nothing."""

    class Input(serializers.Serializer):
        slots = SlotSerializer(many=True)

    class Output(serializers.Serializer):
        time_zone = serializers.CharField()
        slots = SlotSerializer(many=True)

    @extend_schema(responses={200: Output, 404: None})
    def get(self, request):
        profile = selectors.profile_get(user=request.user)
        if profile is None:
            return Response({"detail": "No practice profile yet."}, status=404)
        return Response(self.Output(profile).data)

    @extend_schema(request=Input, responses={200: Output, 400: None})
    def put(self, request):
        data = self.Input(data=request.data)
        data.is_valid(raise_exception=True)
        slots = [
            Slot(s["weekday"], s["start_minute"], s["end_minute"])
            for s in data.validated_data["slots"]
        ]
        services.availability_replace(user=request.user, slots=slots)
        return Response(self.Output(selectors.profile_get(user=request.user)).data)


# --- requests -----------------------------------------------------------------------------


class RequestOutput(serializers.ModelSerializer):
    class Meta:
        model = PracticeRequest
        fields = [
            "id",
            "kind",
            "status",
            "window_start",
            "window_end",
            "pairing_id",
            "created_at",
            "matched_at",
        ]


class RequestListCreateApi(APIView):
    pagination_class = PageNumberPagination

    def get_throttles(self):
        if self.request.method == "POST":
            return [PracticeRequestThrottle()]
        return super().get_throttles()

    class Input(serializers.Serializer):
        kind = serializers.ChoiceField(choices=PracticeRequest.Kind.choices)
        slot = StrictIntegerField(required=False, min_value=1)
        date = serializers.DateField(required=False, help_text="the slot's local date")

    @extend_schema(responses=RequestOutput(many=True))
    def get(self, request):
        return paginated_response(
            queryset=selectors.request_list_for_user(user=request.user),
            serializer_class=RequestOutput,
            request=request,
            view=self,
        )

    @extend_schema(request=Input, responses={201: RequestOutput, 400: None, 403: None})
    def post(self, request):
        data = self.Input(data=request.data)
        data.is_valid(raise_exception=True)
        created = services.request_create(
            user=request.user,
            kind=data.validated_data["kind"],
            slot_id=data.validated_data.get("slot"),
            on=data.validated_data.get("date"),
        )
        # Inline (embedded default) the matcher has run by now: show the outcome.
        created.refresh_from_db()
        return Response(RequestOutput(created).data, status=status.HTTP_201_CREATED)


class RequestCancelApi(APIView):
    @extend_schema(request=None, responses={200: RequestOutput, 400: None, 404: None})
    def post(self, request, request_id: int):
        try:
            cancelled = services.request_cancel(user=request.user, request_id=request_id)
        except PracticeRequest.DoesNotExist as exc:
            raise exceptions.NotFound("No such request.") from exc
        return Response(RequestOutput(cancelled).data)


# --- pairings -----------------------------------------------------------------------------


class RatingOutput(serializers.Serializer):
    preparedness = serializers.IntegerField()
    hint_clarity = serializers.IntegerField()
    feedback_quality = serializers.IntegerField()
    comment = serializers.CharField()
    submitted_at = serializers.DateTimeField()


class InterviewOutput(serializers.Serializer):
    order = serializers.IntegerField()
    session_id = serializers.UUIDField(allow_null=True)
    session_status = serializers.CharField(
        source="session.status", default=None, allow_null=True, help_text="null once discarded"
    )
    interviewer = serializers.CharField(source="interviewer.username")
    candidate = serializers.CharField(source="candidate.username")
    case_study = CaseStudyBrief()
    scheduled_for = serializers.DateTimeField()
    rating = serializers.SerializerMethodField()
    rating_submitted = serializers.SerializerMethodField()

    @extend_schema_field(RatingOutput(allow_null=True))
    def get_rating(self, interview) -> dict | None:
        """The candidate sees their own rating; the interviewer once it is revealed."""
        rating = getattr(interview, "rating", None)
        if rating is None:
            return None
        user = self.context["user"]
        if user.pk == interview.candidate_id or rating_visible_to_subject(
            rating, pairing=interview.pairing
        ):
            return RatingOutput(rating).data
        return None

    def get_rating_submitted(self, interview) -> bool:
        return getattr(interview, "rating", None) is not None


class PairingOutput(serializers.ModelSerializer):
    partner = serializers.SerializerMethodField()
    interviews = serializers.SerializerMethodField()
    next_session_id = serializers.SerializerMethodField()
    proposed_by = serializers.CharField(source="proposed_by.username", allow_null=True)
    ends_at = serializers.SerializerMethodField()
    late_cancel_from = serializers.SerializerMethodField()

    class Meta:
        model = Pairing
        fields = [
            "id",
            "status",
            "starts_at",
            "ends_at",
            "partner",
            "interviews",
            "next_session_id",
            "proposed_starts_at",
            "proposed_by",
            "late_cancel_from",
            "created_at",
        ]

    def get_partner(self, pairing) -> str:
        user = self.context["user"]
        return (pairing.user_b if pairing.user_a_id == user.pk else pairing.user_a).username

    @extend_schema_field(InterviewOutput(many=True))
    def get_interviews(self, pairing) -> list:
        rows = list(pairing.interviews.all())
        for row in rows:
            row.scheduled_for = pairing.starts_at + (row.order - 1) * timedelta(
                minutes=INTERVIEW_MINUTES
            )
        return InterviewOutput(rows, many=True, context=self.context).data

    @extend_schema_field(serializers.UUIDField(allow_null=True))
    def get_next_session_id(self, pairing) -> str | None:
        """The room to go to: the first interview that has not ended (the second once the
        first is over, roles swapped)."""
        for interview in pairing.interviews.all():
            session = interview.session
            if session is not None and session.status != "ended":
                return str(session.pk)
        return None

    @extend_schema_field(serializers.DateTimeField())
    def get_ends_at(self, pairing) -> str:
        return (pairing.starts_at + PAIRING_DURATION).isoformat()

    @extend_schema_field(serializers.DateTimeField())
    def get_late_cancel_from(self, pairing) -> str:
        """From when on a cancellation counts as late (a strike)."""
        return (pairing.starts_at - services.LATE_CANCEL_BEFORE).isoformat()


class PairingListApi(APIView):
    pagination_class = PageNumberPagination

    class Filters(serializers.Serializer):
        session = serializers.UUIDField(
            required=False, help_text="only the pairing holding this interview session"
        )

    @extend_schema(parameters=[Filters], responses=PairingOutput(many=True))
    def get(self, request):
        filters = self.Filters(data=request.query_params)
        filters.is_valid(raise_exception=True)
        return paginated_response(
            queryset=selectors.pairing_list_for_user(
                user=request.user, session_id=filters.validated_data.get("session")
            ),
            serializer_class=PairingOutput,
            request=request,
            view=self,
            context={"user": request.user},
        )


def _pairing_response(request, pairing_id) -> Response:
    pairing = selectors.pairing_get_for_user(user=request.user, pairing_id=pairing_id)
    return Response(PairingOutput(pairing, context={"user": request.user}).data)


def _pairing_call(fn, **kwargs):
    try:
        return fn(**kwargs)
    except (Pairing.DoesNotExist, PairingInterview.DoesNotExist) as exc:
        raise exceptions.NotFound("No such pairing.") from exc


class PairingDetailApi(APIView):
    @extend_schema(responses=PairingOutput)
    def get(self, request, pairing_id):
        return _pairing_response(request, pairing_id)


class PairingCancelApi(APIView):
    @extend_schema(request=None, responses={200: PairingOutput, 400: None, 404: None})
    def post(self, request, pairing_id):
        _pairing_call(services.pairing_cancel, user=request.user, pairing_id=pairing_id)
        return _pairing_response(request, pairing_id)


class PairingRescheduleApi(APIView):
    class Input(serializers.Serializer):
        starts_at = serializers.DateTimeField()

    @extend_schema(request=Input, responses={200: PairingOutput, 400: None, 404: None})
    def post(self, request, pairing_id):
        data = self.Input(data=request.data)
        data.is_valid(raise_exception=True)
        _pairing_call(
            services.pairing_propose_time,
            user=request.user,
            pairing_id=pairing_id,
            starts_at=data.validated_data["starts_at"],
        )
        return _pairing_response(request, pairing_id)


class PairingRescheduleAcceptApi(APIView):
    @extend_schema(request=None, responses={200: PairingOutput, 400: None, 404: None})
    def post(self, request, pairing_id):
        _pairing_call(services.pairing_accept_time, user=request.user, pairing_id=pairing_id)
        return _pairing_response(request, pairing_id)


class PairingArrivedApi(APIView):
    @extend_schema(request=None, responses={204: None, 400: None, 404: None})
    def post(self, request, pairing_id):
        _pairing_call(services.pairing_arrive, user=request.user, pairing_id=pairing_id)
        return Response(status=status.HTTP_204_NO_CONTENT)


class PairingNoShowApi(APIView):
    class Output(serializers.Serializer):
        request = RequestOutput(allow_null=True, help_text="you are back in the waiting room")

    @extend_schema(request=None, responses={200: Output, 400: None, 404: None})
    def post(self, request, pairing_id):
        again = _pairing_call(
            services.pairing_mark_no_show, user=request.user, pairing_id=pairing_id
        )
        if again is not None:
            again.refresh_from_db()
        return Response(self.Output({"request": again}).data)


class PairingCalendarApi(APIView):
    @extend_schema(responses={(200, "text/calendar"): bytes})
    def get(self, request, pairing_id):
        pairing = selectors.pairing_get_for_user(user=request.user, pairing_id=pairing_id)
        base_url = sessions_bridge.public_base_url(request)
        body = pairing_ics(pairing, for_user=request.user, base_url=base_url)
        response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="mockroom-{pairing.pk}.ics"'
        return response


class InterviewCaseApi(APIView):
    class Input(serializers.Serializer):
        case_study = StrictCharField(max_length=80)

    @extend_schema(request=Input, responses={200: PairingOutput, 400: None, 403: None})
    def put(self, request, pairing_id, order: int):
        data = self.Input(data=request.data)
        data.is_valid(raise_exception=True)
        _pairing_call(
            services.interview_case_change,
            user=request.user,
            pairing_id=pairing_id,
            order=order,
            case_slug=data.validated_data["case_study"],
        )
        return _pairing_response(request, pairing_id)


class RatingApi(APIView):
    """The candidate rates the interviewer. Anchors, 1 to 4:

    - preparedness: 1 had not read the case; 2 knew the prompt only; 3 knew the guide and
      steered with it; 4 anticipated where the design would go and had follow-ups ready.
    - hint_clarity: 1 no hints or confusing ones; 2 hints that gave the answer away or came
      too late; 3 timely hints that pointed without telling; 4 hints that unblocked and taught.
    - feedback_quality: 1 none or only praise; 2 general remarks; 3 specific, tied to moments
      of the interview; 4 specific and prioritised, with what to practise next.
    """

    class Input(serializers.Serializer):
        preparedness = StrictIntegerField(min_value=1, max_value=4)
        hint_clarity = StrictIntegerField(min_value=1, max_value=4)
        feedback_quality = StrictIntegerField(min_value=1, max_value=4)
        comment = StrictCharField(max_length=MAX_TEXT, allow_blank=True, required=False, default="")

    @extend_schema(request=Input, responses={201: RatingOutput, 400: None, 403: None})
    def post(self, request, pairing_id, order: int):
        data = self.Input(data=request.data)
        data.is_valid(raise_exception=True)
        rating = services.rating_submit(
            user=request.user, pairing_id=pairing_id, order=order, **data.validated_data
        )
        return Response(RatingOutput(rating).data, status=status.HTTP_201_CREATED)


class PartnerProfileApi(APIView):
    """Someone you were paired with, as partners see them: level, domains, languages, their
    ratings as an interviewer and how well their scores agreed with their candidates' own."""

    class Output(serializers.Serializer):
        username = serializers.CharField(source="user.username")
        target_role = serializers.CharField()
        level = serializers.ChoiceField(choices=Level.choices)
        domains = serializers.ListField(child=serializers.CharField())
        languages = serializers.ListField(child=serializers.CharField())
        ratings = serializers.SerializerMethodField()
        agreement = serializers.SerializerMethodField()

        @extend_schema_field(RatingsSummary)
        def get_ratings(self, profile) -> dict:
            return selectors.ratings_summary(subject_id=profile.user_id)

        @extend_schema_field(AgreementSummary)
        def get_agreement(self, profile) -> dict:
            return selectors.interviewer_agreement(subject_id=profile.user_id)

    @extend_schema(responses={200: Output, 404: None})
    def get(self, request, username: str):
        profile = selectors.partner_profile_get(user=request.user, username=username)
        return Response(self.Output(profile).data)


class BlockApi(APIView):
    class Input(serializers.Serializer):
        username = StrictCharField(max_length=150)
        reason = StrictCharField(max_length=MAX_TEXT)
        report = StrictBooleanField(required=False, default=False)

    class Output(serializers.Serializer):
        username = serializers.CharField(source="blocked.username")
        reason = serializers.CharField()
        report = serializers.BooleanField()
        created_at = serializers.DateTimeField()

    @extend_schema(request=Input, responses={201: Output, 400: None})
    def post(self, request):
        data = self.Input(data=request.data)
        data.is_valid(raise_exception=True)
        block = services.block_create(user=request.user, **data.validated_data)
        return Response(self.Output(block).data, status=status.HTTP_201_CREATED)
