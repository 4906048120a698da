"""Templates and static assets, shipped from the root ``templates/`` and ``static/``."""
import functools
import importlib.resources

from django.template import Context, Engine
from django.template.backends.django import get_installed_libraries


@functools.cache
def _engine() -> Engine:
    """A template engine over the shipped templates, whatever the host's TEMPLATES say.

    ``{% include %}`` works between shipped templates; ``{% trans %}`` goes through
    the runtime's i18n service (XBlock's i18n tag library), as ResourceLoader does.
    """
    libraries = {**get_installed_libraries(), "i18n": "xblock.utils.templatetags.i18n"}
    return Engine(dirs=[str(importlib.resources.files("credential_templates"))],
                  libraries=libraries)


def render_template(path, context, i18n_service):
    """Render a Django template (autoescaped, ``{% trans %}`` through the runtime's i18n)."""
    template = _engine().get_template(path)
    return template.render(Context({**context, "_i18n_service": i18n_service}))


def static_text(path) -> str:
    """The text of a JS or CSS file, to add to a fragment."""
    return importlib.resources.files("credential_static").joinpath(path).read_text("utf-8")


# ---- JavaScript translations (OEP-58) -------------------------------------------------

JS_CATALOGUE_NAMESPACE = "CredentialAssessmentI18N"


def add_javascript_catalogue(block, fragment):
    """Load the block's own JavaScript catalogue, when the runtime has one for this language.

    The LMS compiles ``djangojs`` catalogues of XBlocks that name an ``i18n_js_namespace``
    (``compile_xblock_translations``) into a script that defines ``window.<namespace>``,
    and its i18n service gives that script's URL. The block's JavaScript reads its strings
    from there first, then from the page's ``window.gettext``.
    """
    service = block.runtime.service(block, "i18n")
    catalogue_url = getattr(service, "get_javascript_i18n_catalog_url", None)
    url = catalogue_url(block) if catalogue_url else None
    if url:
        fragment.add_javascript_url(url)
