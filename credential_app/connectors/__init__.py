"""Deprecated import path for third-party HRIS connectors: use ``credential_app.hris.connectors``.

Connectors written against the first releases import ``credential_app.connectors.base``
(``Connector``, ``OutgoingRecord``, ``RecordOutcome``) and, for signing,
``credential_app.connectors.standard_webhooks``. Those paths keep working and warn once; they
will be removed in a later major release.
"""
import warnings

from credential_app.hris.connectors import (  # noqa: F401 (re-exported for old callers)
    GROUP,
    UnknownConnector,
    available,
    choices,
    get,
)

warnings.warn("credential_app.connectors is deprecated; import credential_app.hris.connectors.",
              DeprecationWarning, stacklevel=2)
