"""Within one read-only question (a learner's page), each definition and policy row is read
once, however many of the questions it asks need it.

A learner's view asks several things (the latest attempt, may they hand in, the counted
result, the credential, the rules), each of which finds the unit's definition and its
policies; answered one by one, the same rows were read up to five times. ``reading_once``
opens a memo for the duration of such a question (a context variable: per thread and per
task, never shared between requests); outside it nothing is remembered, so writers and
locking reads always see the database. A write may open it when it changes none of the
rows remembered (a scoring: ``api.record_assessment``; a hand-in and the page it answers
with: ``api.hand_in``).
"""
import contextvars
from contextlib import contextmanager

_memo = contextvars.ContextVar("credential_app_read_once", default=None)


@contextmanager
def reading_once():
    """Remember rows read through ``remembered`` until the block ends."""
    token = _memo.set({})
    try:
        yield
    finally:
        _memo.reset(token)


def remember(kind: str, key, value):
    """Remember ``value`` for (kind, key) in the open ``reading_once``, if any: a row read
    one way (a definition by slug) is then found when asked for another (by key)."""
    memo = _memo.get()
    if memo is not None:
        memo.setdefault((kind, key), value)


def remembered(kind: str, key, load):
    """``load()``, or what it gave for (kind, key) earlier in the same ``reading_once``."""
    memo = _memo.get()
    if memo is None:
        return load()
    if (kind, key) not in memo:
        memo[(kind, key)] = load()
    return memo[(kind, key)]
