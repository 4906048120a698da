"""Production settings: operators override defaults through ``ENV_TOKENS``."""


def plugin_settings(settings):
    """Merge ``CREDENTIAL_APP`` from the deployment's YAML/ENV tokens, if given."""
    tokens = getattr(settings, "ENV_TOKENS", {}) or {}
    if "CREDENTIAL_APP" in tokens:
        settings.CREDENTIAL_APP = {**getattr(settings, "CREDENTIAL_APP", {}),
                                   **tokens["CREDENTIAL_APP"]}
