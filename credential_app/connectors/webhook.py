"""Deprecated: use ``credential_app.hris.connectors.webhook`` (this path re-exports it)."""
from credential_app.hris.connectors.webhook import *  # noqa: F403 (the old public path)
