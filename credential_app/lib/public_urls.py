"""Absolute addresses for what the app publishes (credentials, DID documents, status lists).

Signed credentials name these addresses, so they come from one setting:
``CREDENTIAL_APP["PUBLIC_BASE_URL"]``, else Open edX's ``LMS_ROOT_URL``, else
``http://localhost:8000`` (a development server).

The app's pages live in the LMS, under ``URL_PREFIX``. Their addresses are reversed on
``LMS_URLCONF``, the app mounted as the LMS mounts it, so that Studio (which mounts none of
them), a Celery worker or a management command name the same LMS pages.
"""
from urllib.parse import urlsplit

from django.conf import settings
from django.urls import reverse

DEFAULT_BASE_URL = "http://localhost:8000"
# Every URL the app adds to the LMS starts with this (credential_app/urls.py).
URL_PREFIX = "credential-app/"
LMS_URLCONF = "credential_app.lms_urls"


def base_url() -> str:
    app = getattr(settings, "CREDENTIAL_APP", {}) or {}
    url = app.get("PUBLIC_BASE_URL") or getattr(settings, "LMS_ROOT_URL", "") or DEFAULT_BASE_URL
    return url.rstrip("/")


def absolute(path: str) -> str:
    """``path`` (as ``reverse`` gives it, or a storage URL) made absolute on the base URL."""
    if urlsplit(path).scheme:
        return path
    parts = urlsplit(base_url())
    return f"{parts.scheme}://{parts.netloc}{path}" if path.startswith("/") else path


def lms_path(name: str, **kwargs) -> str:
    """The path of the app's LMS page ``name`` (a name in ``credential_app/urls.py``)."""
    return reverse(f"credential_app:{name}", kwargs=kwargs, urlconf=LMS_URLCONF)


def reverse_absolute(name: str, **kwargs) -> str:
    """The public address of the app's LMS page ``name`` (on the base URL), from any process:
    what signed credentials and verifiers name."""
    return absolute(lms_path(name, **kwargs))


def lms_page(name: str, **kwargs) -> str:
    """Where a signed-in person reaches the app's LMS page ``name``: on ``LMS_ROOT_URL`` (so
    that Studio's admin and preview link to the LMS), else the path alone. Not the public
    base URL, which may be another host that verifiers reach."""
    root = (getattr(settings, "LMS_ROOT_URL", "") or "").rstrip("/")
    return f"{root}{lms_path(name, **kwargs)}"
