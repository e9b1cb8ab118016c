"""The API's JSON parser: DRF's, made as strict as the room's (config/strict_json.py).

A body is refused with 400 when it is larger than `API_MAX_JSON_BYTES`, nests deeper than
`MAX_JSON_DEPTH`, holds NaN or Infinity, or holds NUL or a lone surrogate in any string, so no
view ever sees a value the database cannot store or a browser cannot read back.
"""

from django.conf import settings
from rest_framework.exceptions import ParseError
from rest_framework.parsers import JSONParser

from . import strict_json


class StrictJSONParser(JSONParser):
    def parse(self, stream, media_type=None, parser_context=None):
        limit = settings.API_MAX_JSON_BYTES
        # One byte over the limit is enough to know the body is too large.
        body = stream.read(limit + 1) if stream is not None else b""
        if len(body) > limit:
            raise ParseError(f"The request body is larger than {limit} bytes.")
        encoding = (parser_context or {}).get("encoding", settings.DEFAULT_CHARSET)
        try:
            text = body.decode(encoding)
        except (UnicodeDecodeError, LookupError) as exc:
            raise ParseError("The request body is not valid UTF-8 text.") from exc
        try:
            return strict_json.loads(text, max_depth=settings.API_MAX_JSON_DEPTH)
        except strict_json.StrictJSONError as exc:
            raise ParseError(f"JSON parse error: {exc.message}") from exc
