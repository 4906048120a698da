"""The block speaks the language of its own catalogues, the way the LMS ships them (OEP-58).

Open edX pulls each XBlock's catalogues from openedx-translations with atlas, reads the
``django`` domain for the block's Python and templates, and compiles its ``djangojs``
catalogue into a script that defines ``window.<i18n_js_namespace>``, whose URL the i18n
service hands the block (``get_javascript_i18n_catalog_url``). These tests make the
block's catalogues in edx-i18n-tools' dummy language (``eo``, fake-accented English) with
the Makefile's own targets, serve them as the LMS does, and check the learner view shows
them, in the page and in what the block's JavaScript writes, not the page's
``window.gettext`` (which, in the LMS, holds only the platform's own strings).
"""
import gettext

import pytest
from django.utils.translation import override
from django.views.i18n import JavaScriptCatalog
from playwright.sync_api import expect
from workbench.runtime import WorkbenchI18NService, WorkbenchRuntime

from credential_xblock import resources
from credential_xblock.block import CredentialAssessmentBlock
from credential_xblock.resources import JS_CATALOGUE_NAMESPACE
from tests.helpers import open_assessment_as
from tests.learner_helpers import HYGIENE_LINK, PDF
from tests.translation_helpers import make, scratch_tree
from tests.xblock.lms_i18n import PulledCataloguesI18nService

CATALOGUE_URL = "/static-test/js/xblock.v1-i18n/credential_xblock/eo.js"
DUMMY = "eo"
LMS_I18N_SERVICE = "tests.xblock.lms_i18n.PulledCataloguesI18nService"


class _Catalogue(JavaScriptCatalog):
    """Django's JavaScript catalogue of one compiled ``djangojs.mo`` (as the LMS renders it)."""

    def render(self, translation):
        self.translation = translation
        return self.render_to_response(self.get_context_data()).content.decode()


def namespaced_catalogue(locale_dir, language):
    """The block's catalogue script for ``language`` (``window.CredentialAssessmentI18N``)."""
    with override(language):
        script = _Catalogue().render(gettext.translation("djangojs", locale_dir, [language]))
    # Run the catalogue with `this` bound to the namespace object, then publish it.
    return (f"(function (page) {{ var ns = {{}}; (function () {{ {script} }}).call(ns); "
            f"page.{JS_CATALOGUE_NAMESPACE} = ns; }}(this));")


@pytest.fixture(scope="module")
def pulled_catalogues(tmp_path_factory):
    """The block's catalogues in the dummy language, laid out as atlas pulls them
    (``<locale>/LC_MESSAGES/django.mo``, ``djangojs.mo``), by ``make build_dummy_translations``."""
    tree = scratch_tree(tmp_path_factory.mktemp("i18n") / "tree")
    make(tree, "build_dummy_translations")
    return tree / "credential_xblock" / "conf" / "locale"


def test_the_block_names_its_namespace_and_adds_the_catalogue_before_its_scripts(
        hygiene_unit, people, definition, monkeypatch):
    assert CredentialAssessmentBlock.get_i18n_js_namespace() == "CredentialAssessmentI18N"
    block = WorkbenchRuntime("learner").get_block(hygiene_unit.usage_id)
    assert not [r for r in block.student_view().resources if r.kind == "url"]  # none offered

    monkeypatch.setattr(WorkbenchI18NService, "get_javascript_i18n_catalog_url",
                        lambda self, asking: CATALOGUE_URL if asking is block else None,
                        raising=False)
    scripts = [r for r in block.student_view().resources if r.mimetype == "application/javascript"]
    assert (scripts[0].kind, scripts[0].data) == ("url", CATALOGUE_URL)
    assert len(scripts) > 1


@pytest.mark.browser
def test_the_learner_view_speaks_the_dummy_language_in_the_page_and_its_scripts(
        page, hygiene_unit, media, tmp_path, settings, pulled_catalogues):
    settings.LANGUAGE_CODE = DUMMY
    services = {**settings.WORKBENCH["services"], "i18n": LMS_I18N_SERVICE}
    settings.WORKBENCH = {**settings.WORKBENCH, "services": services}
    PulledCataloguesI18nService.use(pulled_catalogues, CATALOGUE_URL)
    script = namespaced_catalogue(pulled_catalogues, DUMMY)
    page.route(f"**{CATALOGUE_URL}", lambda route: route.fulfill(
        status=200, content_type="application/javascript", body=script))
    # The platform's catalogue does not know the block's strings: it must not be the one used.
    page.add_init_script("window.gettext = function (text) { return 'PLATFORM: ' + text; };")
    in_page = gettext.translation("django", pulled_catalogues, [DUMMY]).gettext
    in_scripts = gettext.translation("djangojs", pulled_catalogues, [DUMMY]).gettext
    assert in_scripts("Remove") != "Remove" and in_page("Add a file") != "Add a file"

    open_assessment_as(page, "Lee Learner", HYGIENE_LINK)
    add_a_file = page.get_by_label(in_page("Add a file"))
    expect(add_a_file).to_be_visible()  # the page (templates): the django domain
    expect(page.get_by_role("button", name=in_page("Submit evidence"))).to_be_visible()
    page.evaluate("""() => {
      window.__announced = [];
      const status = document.querySelector('.ca-upload-status');
      new MutationObserver(() => window.__announced.push(status.textContent))
        .observe(status, {childList: true, characterData: true, subtree: true});
    }""")
    pdf = tmp_path / "checklist.pdf"
    pdf.write_bytes(PDF)

    add_a_file.set_input_files(str(pdf))

    # What the block's JavaScript writes: the djangojs domain, through its own namespace.
    expect(page.locator(".ca-pending-files .ca-remove-file")).to_have_text(
        f"{in_scripts('Remove')} checklist.pdf")
    assert page.evaluate("window.__announced")[0] == in_scripts(
        "Uploading %(name)s: %(percent)s percent done.") % {"name": "checklist.pdf", "percent": 0}


def test_templates_and_static_files_are_read_once_and_still_speak_each_requests_language(
        hygiene_unit, people, definition, settings, pulled_catalogues, monkeypatch):
    """Templates are compiled once (``credential_xblock.resources``) and the page's scripts
    and style read once, not per render; the language is the request's, through the i18n
    service handed to each render."""
    read = []
    load_unicode = resources.LOADER.load_unicode
    monkeypatch.setattr(resources.LOADER, "load_unicode",
                        lambda path: read.append(path) or load_unicode(path))
    resources._compiled.cache_clear()
    resources.static_text.cache_clear()
    monkeypatch.setattr(resources.Partial, "_compiled", {})
    english = WorkbenchRuntime("learner").get_block(hygiene_unit.usage_id).student_view().content
    assert [path for path in read if path.startswith("templates/")]
    assert "static/js/learner.js" in read

    read.clear()
    services = {**settings.WORKBENCH["services"], "i18n": LMS_I18N_SERVICE}
    settings.WORKBENCH = {**settings.WORKBENCH, "services": services}
    PulledCataloguesI18nService.use(pulled_catalogues, CATALOGUE_URL)
    with override(DUMMY):
        dummy = WorkbenchRuntime("learner").get_block(hygiene_unit.usage_id).student_view().content
    assert read == []
    in_page = gettext.translation("django", pulled_catalogues, [DUMMY]).gettext
    assert "Submit evidence" in english and in_page("Submit evidence") not in english
    assert in_page("Submit evidence") in dummy
