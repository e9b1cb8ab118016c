from django.urls import path

from . import apis

P = "pairings/<uuid:pairing_id>/"

urlpatterns = [
    path("profile/", apis.ProfileApi.as_view()),
    path("availability/", apis.AvailabilityApi.as_view()),
    path("requests/", apis.RequestListCreateApi.as_view()),
    path("requests/<int:request_id>/cancel/", apis.RequestCancelApi.as_view()),
    path("pairings/", apis.PairingListApi.as_view()),
    path(P, apis.PairingDetailApi.as_view()),
    path(P + "cancel/", apis.PairingCancelApi.as_view()),
    path(P + "reschedule/", apis.PairingRescheduleApi.as_view()),
    path(P + "reschedule/accept/", apis.PairingRescheduleAcceptApi.as_view()),
    path(P + "arrived/", apis.PairingArrivedApi.as_view()),
    path(P + "no-show/", apis.PairingNoShowApi.as_view()),
    path(P + "calendar.ics", apis.PairingCalendarApi.as_view()),
    path(P + "interviews/<int:order>/case/", apis.InterviewCaseApi.as_view()),
    path(P + "interviews/<int:order>/rating/", apis.RatingApi.as_view()),
    path("partners/<str:username>/", apis.PartnerProfileApi.as_view()),
    path("blocks/", apis.BlockApi.as_view()),
]
