"""Refuse request paths and query strings that hold NUL or lone surrogates.

They can reach no valid page or value, and PostgreSQL cannot even compare them (a lookup of
`/api/invites/%00/` would fail inside the database instead of answering 404), so they are
refused with 400 before any view runs.
"""

from django.http import JsonResponse

from .strict_json import has_unsafe_chars


class RejectUnsafeCharactersMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        query = request.GET
        if has_unsafe_chars(request.path) or any(
            has_unsafe_chars(key) or any(has_unsafe_chars(value) for value in query.getlist(key))
            for key in query
        ):
            return JsonResponse(
                {"detail": "The address holds a NUL or an invalid character."}, status=400
            )
        return self.get_response(request)
