"""Defaults every LMS and Studio get when the plugin is installed."""


def plugin_settings(settings):
    """Add the plugin's defaults; an operator's own values always win."""
    defaults = {
        # Largest text evidence (characters) any unit may accept, whatever its own setting.
        "MAX_EVIDENCE_TEXT_LENGTH": 50_000,
    }
    current = getattr(settings, "CREDENTIAL_APP", {}) or {}
    settings.CREDENTIAL_APP = {**defaults, **current}
