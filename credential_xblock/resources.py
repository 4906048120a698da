"""Templates and static assets, shipped from the root ``templates/`` and ``static/``."""
import importlib.resources

from xblock.utils.resources import ResourceLoader

_templates = ResourceLoader("credential_templates")


def render_template(path, context, i18n_service):
    """Render a Django template (autoescaped, ``{% trans %}`` through the runtime's i18n)."""
    return _templates.render_django_template(path, context, i18n_service=i18n_service)


def static_text(path) -> str:
    """The text of a JS or CSS file, to add to a fragment."""
    return importlib.resources.files("credential_static").joinpath(path).read_text("utf-8")
