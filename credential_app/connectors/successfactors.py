"""Deprecated: use ``credential_app.hris.connectors.successfactors`` (this path re-exports it)."""
from credential_app.hris.connectors.successfactors import *  # noqa: F403 (the old public path)
