from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from accounts import apis as accounts
from casestudies import apis as casestudies
from interviews import apis as interviews
from rubrics import apis as rubrics

api = [
    path("auth/csrf/", accounts.CsrfApi.as_view()),
    path("auth/signup/", accounts.SignupApi.as_view()),
    path("auth/login/", accounts.LoginApi.as_view()),
    path("auth/logout/", accounts.LogoutApi.as_view()),
    path("auth/me/", accounts.MeApi.as_view()),
    path("framework/", rubrics.FrameworkApi.as_view()),
    path("casestudies/", casestudies.CaseStudyListApi.as_view()),
    path("casestudies/<slug:slug>/", casestudies.CaseStudyDetailApi.as_view()),
    path("rubrics/", rubrics.RubricListApi.as_view()),
    path("rubrics/<int:rubric_id>/", rubrics.RubricDetailApi.as_view()),
    path("sessions/", interviews.SessionListCreateApi.as_view()),
    path("sessions/<uuid:session_id>/", interviews.SessionDetailApi.as_view()),
    path("sessions/<uuid:session_id>/scores/", interviews.ScoresApi.as_view()),
    path("sessions/<uuid:session_id>/notes/", interviews.NotesApi.as_view()),
    path("sessions/<uuid:session_id>/release/", interviews.ReleaseFeedbackApi.as_view()),
    path("sessions/<uuid:session_id>/report/", interviews.ReportApi.as_view()),
    path("sessions/<uuid:session_id>/report/regenerate/", interviews.ReportRegenerateApi.as_view()),
    path("sessions/<uuid:session_id>/report/pdf/", interviews.ReportPdfApi.as_view()),
    path("sessions/<uuid:session_id>/report/json/", interviews.ReportJsonApi.as_view()),
    path("sessions/<uuid:session_id>/self-assessment/", interviews.SelfAssessmentApi.as_view()),
    path("invites/<str:token>/", interviews.InviteDetailApi.as_view()),
    path("invites/<str:token>/accept/", interviews.InviteAcceptApi.as_view()),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", SpectacularSwaggerView.as_view(url_name="schema"), name="docs"),
]

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/", include(api)),
    # Last: every other path is a page of the browser app (config/spa.py).
    path("", include("config.spa")),
]
