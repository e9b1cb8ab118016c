"""Content-Security-Policy for every response (django-csp), with the page's own websocket origin.

The policy itself is `CONTENT_SECURITY_POLICY` in the settings. CSP Level 3 lets `'self'` in
`connect-src` match `ws:`/`wss:` to the same host (current Chromium and Firefox do), but older
browsers (Safari before 15.4) do not, so the exact websocket origin of the request (scheme, host
and port, as Django validated them against ALLOWED_HOSTS) is added as well.
"""

from csp.middleware import CSPMiddleware as BaseCSPMiddleware
from django.core.exceptions import DisallowedHost


class CSPMiddleware(BaseCSPMiddleware):
    def get_policy_parts(self, request, response, report_only: bool = False):
        parts = super().get_policy_parts(request, response, report_only)
        if report_only:
            return parts
        try:
            host = request.get_host()
        except DisallowedHost:
            return parts
        socket_origin = f"{'wss' if request.is_secure() else 'ws'}://{host}"
        update = dict(parts.update or {})
        update["connect-src"] = [*update.get("connect-src", ()), socket_origin]
        parts.update = update
        return parts
