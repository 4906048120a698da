"""JSON from strangers, read the same way everywhere: the XBlock's handlers and the REST
API (``rest/parsers.py``) both go through ``parse``.

What comes in must be plain, bounded data: no deeper than ``MAX_DEPTH``, no more than
``MAX_VALUES`` values, and text that is valid Unicode without NUL. A lone surrogate
(``"\\ud800"``) is valid JSON but not valid text: stored, it breaks every page that later
shows it (UTF-8 cannot encode it) and some databases refuse it; NUL is refused by
PostgreSQL and cuts strings elsewhere. Each refusal says what is wrong and where.
"""
import json

from django.utils.translation import gettext_noop

MAX_BYTES = 1024 * 1024  # a handler's or endpoint's JSON body; uploads go as files
MAX_DEPTH = 16
MAX_VALUES = 20_000


class JsonInputError(ValueError):
    """Why a JSON body is refused: ``message`` is a ``gettext_noop`` string (the caller
    translates it in the asker's language), ``field`` the top-level member at fault."""

    def __init__(self, message, field=None, **params):
        super().__init__(message)
        self.message, self.field, self.params = message, field, params


def parse(body: bytes):
    """The JSON value of ``body``, checked (``JsonInputError`` otherwise)."""
    if len(body) > MAX_BYTES:
        raise JsonInputError(gettext_noop("The request is larger than {limit} KB."),
                             limit=MAX_BYTES // 1024)
    try:
        data = json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        raise JsonInputError(gettext_noop("The request is not valid JSON.")) from None
    except RecursionError:
        raise JsonInputError(gettext_noop("The request is nested more than {limit} levels "
                                          "deep."), limit=MAX_DEPTH) from None
    check(data)
    return data


def check(data) -> None:
    """Raise ``JsonInputError`` if ``data`` (parsed JSON) is too deep, too big, or holds
    text that is not valid Unicode or contains NUL. Walked without recursion."""
    stack, values = [(data, 1, None)], 0
    while stack:
        value, depth, field = stack.pop()
        values += 1
        if depth > MAX_DEPTH:
            raise JsonInputError(gettext_noop("The request is nested more than {limit} "
                                              "levels deep."), field, limit=MAX_DEPTH)
        if values > MAX_VALUES:
            raise JsonInputError(gettext_noop("The request holds more than {limit} values."),
                                 field, limit=MAX_VALUES)
        if isinstance(value, str):
            _check_text(value, field)
        elif isinstance(value, dict):
            for key, item in value.items():
                _check_text(key, field or key)
                stack.append((item, depth + 1, field or key))
        elif isinstance(value, list):
            stack.extend((item, depth + 1, field) for item in value)


def _check_text(text: str, field) -> None:
    if "\x00" in text:
        raise JsonInputError(gettext_noop("Text may not contain the NUL character."), field)
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        raise JsonInputError(gettext_noop("Text must be valid Unicode: it contains a lone "
                                          "surrogate (half of a character)."),
                             field) from None
