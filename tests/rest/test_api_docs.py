"""The API's documentation as a page anyone can read: every endpoint of the schema, its
parameters, bodies and answers, served by the app itself (no script, nothing fetched)."""
import re

import yaml
from django.urls import reverse, reverse_lazy

DOCS = reverse_lazy("credential_app:rest-docs")


def test_every_endpoint_of_the_schema_is_documented_on_the_page(client, db):
    schema = yaml.safe_load(client.get(reverse("credential_app:rest-schema")).content)
    response = client.get(DOCS)  # no sign-in needed, as for the schema
    assert response.status_code == 200
    page = response.content.decode()
    for path, item in schema["paths"].items():
        for method in item:
            if method in ("get", "post", "put", "patch", "delete"):
                assert f'<span class="ca-method">{method.upper()}</span> <code>{path}</code>' \
                    in page, (method, path)
    assert "<script" not in page.split("<main", 1)[-1]  # plain HTML, readable without JS
    assert not re.search(r'(src|href)="https?://', page)  # nothing from elsewhere


def test_bodies_and_parameters_are_spelled_out(client, db):
    page = client.get(DOCS).content.decode()
    revoke = page.split('id="credentials_revoke_create"', 1)[1].split("</section>", 1)[0]
    assert "Request body" in revoke and "<code>reason</code> (required)" in revoke
    verify = page.split('id="verify_create"', 1)[1].split("</section>", 1)[0]
    # the values, not a name
    assert "<td>string: valid, expired, suspended, revoked, invalid</td>" in verify
    credentials = page.split('id="learner_credentials_list"', 1)[1].split("</section>", 1)[0]
    assert "<code>username</code>" in credentials and "query" in credentials
    assert "<td>array of Credential</td>" in page  # a list answer names its items


def test_the_page_only_answers_reads(client, db):
    assert client.post(DOCS).status_code == 405
