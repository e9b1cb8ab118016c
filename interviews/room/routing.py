from django.urls import path

from .consumers import NotificationsConsumer, RoomConsumer

websocket_urlpatterns = [
    path("ws/sessions/<str:session_id>/", RoomConsumer.as_asgi()),
    path("ws/notifications/", NotificationsConsumer.as_asgi()),
]
