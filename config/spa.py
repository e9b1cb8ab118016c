"""Serves the browser app built by `npm run build` into frontend/dist.

WhiteNoise serves the files themselves (WHITENOISE_ROOT: /assets/* with long-lived caching, as
their names carry a content hash, and Excalidraw's fonts under /excalidraw/); this view answers
every other non-API path with index.html so that client-side routes (/sessions/<id>, /library,
...) work on reload and from links. index.html itself is never cached: it names the current
hashed assets.
"""

from pathlib import Path

from django.conf import settings
from django.http import HttpResponse
from django.urls import re_path
from django.views.decorators.http import require_safe

# Paths the app never owns: a miss there is a real 404, not a page of the app.
NOT_APP_PREFIXES = ("api", "admin", "static", "ws", "assets", "excalidraw")

NOT_BUILT = (
    "The browser app has not been built. Run `make dev`, or `npm ci && npm run build` in "
    "frontend/ (or `npm run dev` there for front-end work).\n"
)


def frontend_index() -> Path:
    return Path(settings.FRONTEND_DIST) / "index.html"


@require_safe
def spa_index(request, path: str = "") -> HttpResponse:
    index = frontend_index()
    try:
        body = index.read_bytes()
    except FileNotFoundError:
        return HttpResponse(NOT_BUILT, status=503, content_type="text/plain; charset=utf-8")
    response = HttpResponse(body, content_type="text/html; charset=utf-8")
    response["Cache-Control"] = "no-cache"
    return response


urlpatterns = [
    re_path(rf"^(?!(?:{'|'.join(NOT_APP_PREFIXES)})(?:/|$))(?P<path>.*)$", spa_index),
]
