"""Websocket authentication from the Django session cookie.

Channels' AuthMiddlewareStack does the same, plus a session wrapper around `send` that asks on
every outgoing frame whether the session needs saving. Room sockets never change the session
and send thousands of frames a second, so this middleware authenticates once, at the handshake,
and leaves `send` alone. (Logging out closes the user's sockets: see accounts.apis.LogoutApi.)
"""

from importlib import import_module

from channels.auth import get_user
from django.conf import settings
from django.http.cookie import parse_cookie


class SessionAuthMiddleware:
    def __init__(self, inner):
        self.inner = inner
        self.store = import_module(settings.SESSION_ENGINE).SessionStore

    async def __call__(self, scope, receive, send):
        cookies = {}
        for name, value in scope.get("headers", ()):
            if name == b"cookie":
                cookies = parse_cookie(value.decode("latin1"))
                break
        scope = dict(scope, cookies=cookies)
        scope["session"] = self.store(cookies.get(settings.SESSION_COOKIE_NAME))
        scope["user"] = await get_user(scope)
        return await self.inner(scope, receive, send)
