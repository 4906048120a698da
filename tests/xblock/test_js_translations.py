"""The block's JavaScript speaks the language of its own catalogue, the way the LMS ships it.

Open edX (OEP-58) compiles each XBlock's ``djangojs`` catalogue into a script that
defines ``window.<i18n_js_namespace>`` and its i18n service hands the block that
script's URL (``get_javascript_i18n_catalog_url``). These tests build such a script
the same way from a real compiled French catalogue, let the runtime's i18n service
offer it, and check the block's messages come from it, not from the page's
``window.gettext`` (which, in the LMS, holds only the platform's own strings).
"""
import gettext as gnu_gettext
import subprocess

import pytest
from django.utils.translation import override
from django.views.i18n import JavaScriptCatalog
from playwright.sync_api import expect
from workbench.runtime import WorkbenchI18NService, WorkbenchRuntime

from credential_xblock.block import CredentialAssessmentBlock
from credential_xblock.resources import JS_CATALOGUE_NAMESPACE
from tests.learner_helpers import HYGIENE_LINK, PDF

CATALOGUE_URL = "/static-test/credential_xblock/js/fr.js"
FRENCH_PO = r'''msgid ""
msgstr ""
"Content-Type: text/plain; charset=UTF-8\n"
"Language: fr\n"
"Plural-Forms: nplurals=2; plural=(n > 1);\n"

msgid "Uploading %(name)s: %(percent)s percent done."
msgstr "Envoi de %(name)s : %(percent)s pour cent."

msgid "Uploading %(name)s"
msgstr "Envoi de %(name)s"

msgid "Remove"
msgstr "Retirer"
'''


class _Catalogue(JavaScriptCatalog):
    """Django's JavaScript catalogue of one compiled ``djangojs.mo`` (as the LMS renders it)."""

    def render(self, translation):
        self.translation = translation
        return self.render_to_response(self.get_context_data()).content.decode()


def namespaced_catalogue(tmp_path):
    """A French catalogue script defining ``window.CredentialAssessmentI18N``."""
    messages = tmp_path / "fr" / "LC_MESSAGES"
    messages.mkdir(parents=True)
    (messages / "djangojs.po").write_text(FRENCH_PO, "utf-8")
    subprocess.run(["msgfmt", "-o", str(messages / "djangojs.mo"), str(messages / "djangojs.po")],
                   check=True)
    with override("fr"):
        script = _Catalogue().render(
            gnu_gettext.translation("djangojs", localedir=tmp_path, languages=["fr"]))
    # Run the catalogue with `this` bound to the namespace object, then publish it.
    return (f"(function (page) {{ var ns = {{}}; (function () {{ {script} }}).call(ns); "
            f"page.{JS_CATALOGUE_NAMESPACE} = ns; }}(this));")


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
def test_messages_come_from_the_blocks_own_catalogue(page, hygiene_unit, media, tmp_path,
                                                     monkeypatch):
    monkeypatch.setattr(WorkbenchI18NService, "get_javascript_i18n_catalog_url",
                        lambda self, block: CATALOGUE_URL, raising=False)
    script = namespaced_catalogue(tmp_path)
    page.route(f"**{CATALOGUE_URL}", lambda route: route.fulfill(
        status=200, content_type="application/javascript", body=script))
    # The platform's catalogue does not know the block's strings: it must not be the one used.
    page.add_init_script("window.gettext = function (text) { return 'PLATFORM: ' + text; };")

    page.goto("/")
    page.get_by_role("button", name="Sign in as Lee Learner").click()
    page.get_by_role("link", name=HYGIENE_LINK).click()
    expect(page.get_by_label("Add a file")).to_be_visible()
    assert page.evaluate(f"window.{JS_CATALOGUE_NAMESPACE}.gettext('Remove')") == "Retirer"
    page.evaluate("""() => {
      window.__announced = [];
      const status = document.querySelector('.ca-upload-status');
      new MutationObserver(() => window.__announced.push(status.textContent))
        .observe(status, {childList: true, characterData: true, subtree: true});
    }""")
    pdf = tmp_path / "checklist.pdf"
    pdf.write_bytes(PDF)

    page.get_by_label("Add a file").set_input_files(str(pdf))

    expect(page.locator(".ca-upload-status")).to_have_text("“checklist.pdf” uploaded.")
    assert page.evaluate("window.__announced")[0] == "Envoi de checklist.pdf : 0 pour cent."
    expect(page.locator(".ca-pending-files .ca-remove-file")).to_have_text("Retirer checklist.pdf")
