"""ASGI entry point: HTTP through Django, websockets through Channels.

get_asgi_application() must run before importing anything that touches models.
"""

import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.base")
django_asgi_app = get_asgi_application()

from channels.routing import ProtocolTypeRouter, URLRouter  # noqa: E402
from channels.security.websocket import AllowedHostsOriginValidator  # noqa: E402

from config.ws_auth import SessionAuthMiddleware  # noqa: E402
from interviews.reports.analysis.matching.semantic import warm_up_in_background  # noqa: E402
from interviews.room.routing import websocket_urlpatterns  # noqa: E402

application = ProtocolTypeRouter(
    {
        "http": django_asgi_app,
        "websocket": AllowedHostsOriginValidator(
            SessionAuthMiddleware(URLRouter(websocket_urlpatterns))
        ),
    }
)

# The report's semantic model loads once per process; start now rather than at the first report.
warm_up_in_background()
