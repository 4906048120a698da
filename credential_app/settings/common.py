"""Defaults every LMS and Studio get when the plugin is installed."""
from importlib.resources import files

DJANGO_TEMPLATES = "django.template.backends.django.DjangoTemplates"


def plugin_settings(settings):
    """Add the plugin's defaults; an operator's own values always win."""
    defaults = {
        # Largest text evidence (characters) any unit may accept, whatever its own setting.
        "MAX_EVIDENCE_TEXT_LENGTH": 50_000,
        # Template the learner's credentials page extends (blocks "title" and "content").
        "PAGE_BASE_TEMPLATE": "credential_app/base.html",
    }
    current = getattr(settings, "CREDENTIAL_APP", {}) or {}
    settings.CREDENTIAL_APP = {**defaults, **current}
    _add_shipped_templates(settings)


def _add_shipped_templates(settings):
    """Let Django find the templates shipped in the package (the root ``templates/``)."""
    shipped = str(files("credential_templates"))
    for engine in getattr(settings, "TEMPLATES", []):
        if engine.get("BACKEND") == DJANGO_TEMPLATES:
            dirs = list(engine.get("DIRS", []))
            if shipped not in dirs:
                engine["DIRS"] = [*dirs, shipped]
            return
