"""Rate limits for the API, all keyed by `config.client_ip.client_ip` (never by a spoofable
header) for anonymous requests, and by the user for logged-in ones.

Rates live in `REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]` under these scopes:

- `auth`: log-in and sign-up attempts per client address (fair use; lockouts are django-axes');
- `session_create`: sessions a user creates;
- `invite_create`: invites a user creates (each session comes with one);
- `upload`: files a user uploads (for the upload endpoints to come: add `UploadThrottle` to
  their `throttle_classes`);
- `practice_request`: requests for a practice partner a user makes.

Throttling spreads load over time; the caps in `interviews.sessions.services` bound what a user
can hold at once.
"""

from rest_framework.throttling import ScopedRateThrottle, UserRateThrottle

from .client_ip import client_ip


class ClientIpMixin:
    def get_ident(self, request) -> str:
        return client_ip(request)


class AuthThrottle(ClientIpMixin, ScopedRateThrottle):
    """Per client address, for the views that set `throttle_scope`."""


class SessionCreateThrottle(ClientIpMixin, UserRateThrottle):
    scope = "session_create"


class InviteCreateThrottle(ClientIpMixin, UserRateThrottle):
    scope = "invite_create"


class UploadThrottle(ClientIpMixin, UserRateThrottle):
    scope = "upload"


class PracticeRequestThrottle(ClientIpMixin, UserRateThrottle):
    """Asking for a practice partner (each request runs the matcher)."""

    scope = "practice_request"
