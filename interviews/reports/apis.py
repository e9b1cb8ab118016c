"""HTTP API for the feedback report: its status and content, the regenerate button, the PDF and
JSON downloads. Thin: parse, call a selector or service, serialize."""

from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, serializers, status
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response
from rest_framework.views import APIView

from ..models import Report, ReportOverride, Role
from ..sessions.permissions import NOT_RELEASED, can_see_feedback, require_interviewer
from ..sessions.selectors import session_get_for_user
from .overrides import report_override_set
from .queue import report_regenerate
from .render.pdf import render_report_pdf
from .schema import ReportContent, ReportContentField
from .selectors import report_content_for


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
        raise PermissionDenied(NOT_RELEASED)
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
        report_regenerate(session=session, role=role)
        return Response({"status": "pending"}, status=status.HTTP_202_ACCEPTED)


class ReportOverrideApi(APIView):
    """The interviewer confirms or rejects one credit or pitfall before releasing the report;
    the answer is the report's content with the decision applied."""

    class Input(serializers.Serializer):
        kind = serializers.ChoiceField(choices=ReportOverride.Kind.choices)
        key = serializers.CharField(
            max_length=300, help_text='"step:concept name" or a pitfall code'
        )
        decision = serializers.ChoiceField(
            choices=ReportOverride.Decision.choices,
            allow_null=True,
            help_text="null takes the override back",
        )

    class Output(serializers.Serializer):
        content = ReportContentField()

    @extend_schema(request=Input, responses=Output)
    def put(self, request, session_id):
        session, role = session_get_for_user(user=request.user, session_id=session_id)
        require_interviewer(role)
        data = self.Input(data=request.data)
        data.is_valid(raise_exception=True)
        report = report_override_set(session=session, role=role, **data.validated_data)
        return Response(self.Output({"content": report_content_for(role, report.content)}).data)


class ReportPdfApi(APIView):
    @extend_schema(responses={(200, "application/pdf"): bytes})
    def get(self, request, session_id):
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
