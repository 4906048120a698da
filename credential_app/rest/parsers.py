"""The REST API reads JSON bodies as the block's handlers do (``lib.json_input``): bounded
size, depth and values; text valid Unicode without NUL. A refusal is a 400 naming it."""
from django.utils.translation import gettext as _
from rest_framework import exceptions, parsers

from credential_app.lib import json_input


class CheckedJsonParser(parsers.JSONParser):
    def parse(self, stream, media_type=None, parser_context=None):
        body = stream.read(json_input.MAX_BYTES + 1) if stream is not None else b""
        try:
            return json_input.parse(body)
        except json_input.JsonInputError as exc:
            raise exceptions.ParseError(_(exc.message).format(**exc.params)) from exc  # noqa: INT001 (a gettext_noop message, translated here)
