"""Absolute addresses for what the app publishes (credentials, DID documents, status lists).

Signed credentials name these addresses, so they come from one setting:
``CREDENTIAL_APP["PUBLIC_BASE_URL"]``, else Open edX's ``LMS_ROOT_URL``, else
``http://localhost:8000`` (a development server).
"""
from urllib.parse import urlsplit

from django.conf import settings
from django.urls import reverse

DEFAULT_BASE_URL = "http://localhost:8000"


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


def reverse_absolute(name: str, **kwargs) -> str:
    return absolute(reverse(f"credential_app:{name}", kwargs=kwargs))
