"""Production settings: a deployment's own ``CREDENTIAL_APP`` keys win, defaults fill the rest."""
from credential_app.settings.common import follow_app_settings, with_defaults


def plugin_settings(settings):
    """Fill in every ``CREDENTIAL_APP`` key the deployment left out.

    edx-platform's production settings read the deployment's YAML straight into the
    settings, so a YAML naming only some keys has replaced the whole dict by now; older
    releases pass them as ``ENV_TOKENS`` instead. Either way nothing else is lost.
    """
    tokens = getattr(settings, "ENV_TOKENS", {}) or {}
    with_defaults(settings, tokens.get("CREDENTIAL_APP"))
    follow_app_settings(settings)
