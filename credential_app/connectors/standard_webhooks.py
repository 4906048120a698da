"""Deprecated: use ``credential_app.hris.connectors.standard_webhooks`` (re-exported here)."""
from credential_app.hris.connectors.standard_webhooks import *  # noqa: F403 (the old public path)
