"""The block's templates (``templates/``) and static files (``static/``), loaded from the
package by XBlock's ``ResourceLoader``."""
from django.template import Template
from xblock.utils.resources import ResourceLoader

LOADER = ResourceLoader(__name__)


class Partial:
    """A template one of the block's templates includes: ``{% include partials.NAME %}``.

    ``ResourceLoader.render_django_template`` renders one template on an engine that has
    no template folders, so ``{% include "path" %}`` would find nothing; a variable that
    renders (Django's include accepts one) loads the partial through the same loader and
    compiles it on the including template's engine, whose ``{% trans %}`` goes through the
    runtime's i18n service.
    """

    _compiled = {}  # name -> Template; the source never changes while the process runs

    def __init__(self, name):
        self.name = name

    def render(self, context):
        template = self._compiled.get(self.name)
        if template is None:
            source = LOADER.load_unicode(f"templates/{self.name}.html")
            template = self._compiled[self.name] = Template(source,
                                                            engine=context.template.engine)
        return template.render(context)


class Partials:
    """``partials.NAME`` in a template: the block's ``templates/NAME.html``."""

    def __getitem__(self, name):
        return Partial(name)


PARTIALS = Partials()


def render_template(name, context, i18n_service):
    """Render ``templates/<name>`` (autoescaped; ``{% trans %}`` through the runtime's i18n)."""
    return LOADER.render_django_template(f"templates/{name}", {**context, "partials": PARTIALS},
                                         i18n_service=i18n_service)


def static_text(path) -> str:
    """The text of ``static/<path>`` (JS or CSS), to add to a fragment."""
    return LOADER.load_unicode(f"static/{path}")


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
