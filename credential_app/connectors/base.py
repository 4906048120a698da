"""Deprecated: use ``credential_app.hris.connectors.base`` (this path re-exports it)."""
from credential_app.hris.connectors.base import *  # noqa: F403 (the old public path)
