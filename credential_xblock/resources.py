"""The block's templates (``templates/``) and static files (``static/``), loaded from the
package by XBlock's ``ResourceLoader``."""
import functools

from django.template import Context, Engine, Template
from django.template.backends.django import get_installed_libraries
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
    """Render ``templates/<name>`` (autoescaped; ``{% trans %}`` through the runtime's i18n).

    What ``LOADER.render_django_template`` does, but compiled once per process: it builds a
    new engine on every call (scanning every installed app's template tags) and recompiles
    the template, and each fresh ``{% trans %}`` node of XBlock's i18n tags then loads the
    language's whole catalogue again; together most of a learner page's rendering time.
    """
    return _compiled(name).render(Context({**context, "partials": PARTIALS,
                                           "_i18n_service": i18n_service}))


@functools.cache
def _engine() -> Engine:
    """The engine ``ResourceLoader.render_django_template`` would build: the installed
    template tags, with XBlock's ``i18n`` (translations through the runtime's service)."""
    return Engine(libraries={**get_installed_libraries(),
                             "i18n": "xblock.utils.templatetags.i18n"})


@functools.cache
def _compiled(name) -> Template:
    return Template(LOADER.load_unicode(f"templates/{name}"), engine=_engine())


@functools.cache
def static_text(path) -> str:
    """The text of ``static/<path>`` (JS or CSS), to add to a fragment: read once per
    process, as the templates are compiled once (every page adds the same four files)."""
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
