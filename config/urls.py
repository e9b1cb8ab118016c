from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from accounts import apis as accounts
from casestudies import apis as casestudies
from interviews.feedback import apis as feedback
from interviews.recordings import apis as recordings
from interviews.replay import apis as replay
from interviews.reports import apis as reports
from interviews.sessions import apis as sessions
from rubrics import apis as rubrics

api = [
    path("auth/csrf/", accounts.CsrfApi.as_view()),
    path("auth/signup/", accounts.SignupApi.as_view()),
    path("auth/login/", accounts.LoginApi.as_view()),
    path("auth/logout/", accounts.LogoutApi.as_view()),
    path("auth/me/", accounts.MeApi.as_view()),
    path("framework/", rubrics.FrameworkApi.as_view()),
    path("casestudies/", casestudies.CaseStudyListApi.as_view()),
    path("casestudies/facets/", casestudies.CaseStudyFacetsApi.as_view()),
    path("casestudies/<slug:slug>/", casestudies.CaseStudyDetailApi.as_view()),
    path("rubrics/", rubrics.RubricListApi.as_view()),
    path("rubrics/<int:rubric_id>/", rubrics.RubricDetailApi.as_view()),
    path("sessions/", sessions.SessionListCreateApi.as_view()),
    path("sessions/<uuid:session_id>/", sessions.SessionDetailApi.as_view()),
    path("sessions/<uuid:session_id>/scores/", feedback.ScoresApi.as_view()),
    path("sessions/<uuid:session_id>/notes/", feedback.NotesApi.as_view()),
    path("sessions/<uuid:session_id>/release/", feedback.ReleaseFeedbackApi.as_view()),
    path("sessions/<uuid:session_id>/report/", reports.ReportApi.as_view()),
    path("sessions/<uuid:session_id>/report/regenerate/", reports.ReportRegenerateApi.as_view()),
    path("sessions/<uuid:session_id>/report/overrides/", reports.ReportOverrideApi.as_view()),
    path("sessions/<uuid:session_id>/report/pdf/", reports.ReportPdfApi.as_view()),
    path("sessions/<uuid:session_id>/report/json/", reports.ReportJsonApi.as_view()),
    path("sessions/<uuid:session_id>/self-assessment/", feedback.SelfAssessmentApi.as_view()),
    path("sessions/<uuid:session_id>/recording/", recordings.RecordingApi.as_view()),
    path(
        "sessions/<uuid:session_id>/recording/consent/",
        recordings.RecordingConsentApi.as_view(),
    ),
    path(
        "sessions/<uuid:session_id>/recording/chunks/<int:index>/",
        recordings.RecordingChunkApi.as_view(),
    ),
    path(
        "sessions/<uuid:session_id>/recording/audio/<int:chunk_id>/",
        recordings.RecordingAudioApi.as_view(),
    ),
    path("sessions/<uuid:session_id>/replay/", replay.ReplayApi.as_view()),
    path(
        "sessions/<uuid:session_id>/replay/board/<int:index>/",
        replay.ReplayBoardPageApi.as_view(),
    ),
    path("invites/<str:token>/", sessions.InviteDetailApi.as_view()),
    path("invites/<str:token>/accept/", sessions.InviteAcceptApi.as_view()),
    path("practice/", include("practice.urls")),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    # The split view serves Swagger UI's init script from its own URL: no inline script (CSP).
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="schema"), name="docs"),
]

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/", include(api)),
    # Last: every other path is a page of the browser app (config/spa.py).
    path("", include("config.spa")),
]
