"""The API explorer (Swagger UI) in Chromium: every operation of the schema listed, from
this site's own files only (no CDN, no validator badge), and usable with the session."""
import pytest
from django.conf import settings
from django.urls import reverse
from playwright.sync_api import expect

from tests.helpers import browser_tab

pytestmark = pytest.mark.browser


@pytest.fixture
def tab(browser, live_server):
    with browser_tab(browser, live_server.url) as page:
        page.requests = []
        page.context.on("request", lambda request: page.requests.append(request.url))
        yield page


def test_the_explorer_lists_every_operation_and_fetches_nothing_from_elsewhere(tab, live_server,
                                                                             db):
    tab.goto(reverse("credential_app:rest-explorer"))
    expect(tab.get_by_role("heading", name="Assessed credentials API")).to_be_visible()
    operations = tab.locator(".opblock-summary-path")
    expect(operations.first).to_be_visible()
    paths = set(operations.all_inner_texts())
    assert reverse("credential_app:my-credentials") in {p.replace("\u200b", "") for p in paths}
    assert len(paths) >= 15
    outside = [url for url in tab.requests
               if not url.startswith((live_server.url, "data:", "blob:"))]
    assert outside == []
    assert any("/static/drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js" in url
               for url in tab.requests)
    tab.get_by_role("link", name="The same API as a plain page (no script)").click()
    expect(tab).to_have_url(f"{live_server.url}{reverse('credential_app:rest-docs')}")


def test_try_it_out_uses_the_signed_in_session(tab, live_server, client, people):
    client.force_login(people["learner"])
    tab.context.add_cookies([{"name": settings.SESSION_COOKIE_NAME,
                              "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                              "url": live_server.url}])
    tab.goto(reverse("credential_app:rest-explorer"))
    operation = tab.locator(".opblock").filter(has=tab.locator(
        f'.opblock-summary-path[data-path="{reverse("credential_app:my-credentials")}"]'))
    operation.locator(".opblock-summary-control").click()
    expect(operation.get_by_role("button", name="Try it out")).to_be_visible()
    operation.get_by_role("button", name="Try it out").click()
    with tab.expect_response(lambda r: r.url.endswith(reverse("credential_app:my-credentials"))
                             ) as answer:
        operation.get_by_role("button", name="Execute").click()
    assert answer.value.status == 200
    # the CSRF token "Try it out" sends with POST and PUT is there to send
    assert settings.CSRF_COOKIE_NAME in {c["name"] for c in tab.context.cookies()}
    expect(operation.locator(".live-responses-table .response .response-col_status")).to_have_text(
        "200")  # shown to the visitor too


def test_the_script_is_a_separate_response_for_strict_content_security_policies(client, db):
    page = client.get(reverse("credential_app:rest-explorer")).content.decode()
    assert "<script>" not in page  # no inline script: both scripts have a src
    script = client.get(reverse("credential_app:rest-explorer"), {"script": ""})
    assert script["Content-Type"].startswith("application/javascript")
    assert b"validatorUrl: null" in script.content
    assert client.post(reverse("credential_app:rest-explorer")).status_code == 405
