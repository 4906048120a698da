"""Evidence files and links, through the block's handlers in the real workbench.

The unit is the demo's kitchen hygiene audit: .pdf/.png/.jpg/.txt, at most 3 files
of 2 MB, at most 2 links. Files land in a scratch storage folder per test.
"""
import html
import json
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from webob import Request
from workbench.runtime import WorkbenchRuntime

from credential_app import api
from credential_app.data import EvidenceSettings
from credential_app.models import Attempt, EvidenceFile
from tests.core.test_api import UNIT as UNIT_KEY
from tests.learner_helpers import PDF, PNG, UnitBench, upload

EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 200


@pytest.fixture
def bench(client, hygiene_unit, people, definition, media):
    return UnitBench(client, hygiene_unit).sign_in(people["learner"])


def stored_files(media):
    return sorted(p for p in media.rglob("*") if p.is_file())


def test_upload_is_stored_under_a_random_key_and_listed_after_reload(bench, people, media):
    status, body = upload(bench, "risk assessment.pdf", PDF)

    assert status == 200, body
    assert body["file"]["name"] == "risk assessment.pdf"
    stored = EvidenceFile.objects.get()
    assert (stored.user, stored.attempt, stored.size) == (people["learner"], None, len(PDF))
    assert stored.content_type == "application/pdf" and len(stored.sha256) == 64
    [path] = stored_files(media)
    assert path.read_bytes() == PDF
    assert "risk" not in str(path) and stored.storage_key.startswith("credential-evidence/")
    assert "risk assessment.pdf" in bench.page()  # still there after a reload


def test_evidence_goes_to_the_storage_the_operator_names(bench, settings, tmp_path, media):
    """Any Django storage alias can keep evidence (production: a private bucket)."""
    private = tmp_path / "private-evidence"
    settings.STORAGES = {**settings.STORAGES, "evidence": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": str(private)}}}
    settings.CREDENTIAL_APP = {**settings.CREDENTIAL_APP, "EVIDENCE_STORAGE": "evidence"}

    status, body = upload(bench, "plan.pdf", PDF)

    assert status == 200, body
    assert [p.read_bytes() for p in stored_files(private)] == [PDF]
    assert stored_files(media) == []  # nothing in the default storage
    response = bench.client.get(body["file"]["url"])
    assert (response.status_code, response.content) == (200, PDF)


@pytest.mark.parametrize("name, content, message", [
    ("report.pdf", EXE, "The content of “report.pdf” is not a .pdf file (it looks like a .exe "
                        "file)."),
    ("photo.png", PDF, "The content of “photo.png” is not a .png file (it looks like a .pdf "
                       "file)."),
    ("notes.txt", b"plain\x00text", "“notes.txt” is not plain text (UTF-8)"),
    ("notes.txt", "café".encode("latin-1"), "“notes.txt” is not plain text (UTF-8)"),
    ("tool.exe", EXE, "“tool.exe” is a .exe file; this assessment accepts .pdf, .png, .jpg, "
                      ".txt."),
    ("report.docx", PDF, "“report.docx” is a .docx file; this assessment accepts"),
    ("README", b"hello", "“README” has no file extension"),
    ("empty.pdf", b"", "“empty.pdf” is empty."),
    ("big.pdf", PDF + b"0" * (2 * 1024 * 1024), "“big.pdf” is 2.0\xa0MB; the largest file this "
                                                "assessment accepts is 2.0\xa0MB."),
])
def test_bad_files_are_refused_and_nothing_is_kept(bench, media, name, content, message):
    status, body = upload(bench, name, content)

    assert status == 400
    assert message in body["error"] and body["field"] == "file"
    assert not EvidenceFile.objects.exists()
    assert stored_files(media) == []


def test_utf8_text_file_is_accepted(bench):
    status, body = upload(bench, "notes.txt", "Fridge at 4 °C — ok.\n".encode())
    assert status == 200, body
    assert EvidenceFile.objects.get().content_type == "text/plain"


def test_a_fourth_file_is_refused(bench):
    for number in range(3):
        assert upload(bench, f"page{number}.png", PNG)[0] == 200
    status, body = upload(bench, "page3.png", PNG)
    assert status == 400
    assert "You already have 3 files ready; this assessment accepts at most 3." in body["error"]
    assert EvidenceFile.objects.count() == 3


@pytest.mark.parametrize("name, shown", [
    ("../../etc/passwd.txt", "passwd.txt"),
    ("C:\\Users\\lee\\Desktop\\audit.txt", "audit.txt"),
    ("..\u202egnp.txt", "gnp.txt"),  # right-to-left override and leading dots dropped
    ("bad\x00na\nme\x7f.txt", "badname.txt"),
    ("x" * 300 + ".txt", "x" * 96 + ".txt"),
])
def test_file_names_are_sanitised(bench, media, name, shown):
    status, body = upload(bench, name, b"some notes")

    assert status == 200, body
    assert body["file"]["name"] == shown
    assert EvidenceFile.objects.get().display_name == shown
    [path] = stored_files(media)
    assert path.is_relative_to(media / "credential-evidence") and shown not in path.name


def test_html_in_a_file_name_is_escaped_on_the_page(bench):
    assert upload(bench, "<img src=x onerror=alert(1)>.txt", b"notes")[0] == 200
    page = bench.page()
    assert "<img src=x" not in page and "&lt;img src=x onerror=alert(1)&gt;.txt" in page


def download(client, unit, file_id):
    return client.get(f"/handler/{unit.usage_id}/evidence_file/{file_id}")


def test_owner_and_staff_can_open_a_file_other_learners_cannot(bench, people, hygiene_unit):
    file_id = upload(bench, "audit.pdf", PDF)[1]["file"]["id"]

    mine = download(bench.client, hygiene_unit, file_id)
    assert mine.status_code == 200 and mine.content == PDF
    assert mine["Content-Disposition"].startswith('attachment; filename="audit.pdf"')
    assert mine["X-Content-Type-Options"] == "nosniff"
    assert mine["Content-Type"] == "application/pdf"

    bench.sign_in(people["learner2"])
    other = download(bench.client, hygiene_unit, file_id)
    assert other.status_code == 403
    assert "Only the learner who handed in this file" in json.loads(other.content)["error"]

    bench.sign_in(people["staff"])
    assert download(bench.client, hygiene_unit, file_id).status_code == 200

    bench.client.logout()
    assert download(bench.client, hygiene_unit, file_id).status_code == 403


def test_the_block_refuses_an_anonymous_caller_itself(bench, hygiene_unit):
    """Without the demo's sign-in in front, the block's own check still refuses."""
    file_id = upload(bench, "audit.pdf", PDF)[1]["file"]["id"]
    runtime = WorkbenchRuntime("somebody-unknown")
    block = runtime.get_block(hygiene_unit.usage_id)

    response = runtime.handle(block, "evidence_file", Request.blank("/"), str(file_id))
    assert response.status_code == 403
    assert json.loads(response.body)["error"] == "Sign in to open evidence files."

    upload_request = Request.blank("/", method="POST", POST={"file": ("a.pdf", PDF)})
    assert runtime.handle(block, "upload_evidence", upload_request).status_code == 403
    assert EvidenceFile.objects.count() == 1


def test_staff_of_another_unit_cannot_open_it_through_that_unit(bench, people, hygiene_unit,
                                                                   scenario):
    file_id = upload(bench, "audit.pdf", PDF)[1]["file"]["id"]
    bench.sign_in(people["staff"])
    assert download(bench.client, scenario, file_id).status_code == 404


def test_hand_in_files_and_links_with_an_attempt(bench, people, hygiene_unit):
    first = upload(bench, "checklist.pdf", PDF)[1]["file"]["id"]
    second = upload(bench, "fridge.png", PNG)[1]["file"]["id"]

    status, body = bench.post("submit_evidence", {
        "text": "", "links": ["https://video.example/walk-round"], "files": [first, second]})

    assert status == 200, body
    attempt = api.get_latest_attempt(people["learner"].pk, api_key(hygiene_unit))
    assert attempt.links == ("https://video.example/walk-round",)
    assert [f.name for f in attempt.files] == ["checklist.pdf", "fridge.png"]
    assert set(EvidenceFile.objects.values_list("attempt_id", flat=True)) == {attempt.id}
    page = bench.page()
    assert 'href="https://video.example/walk-round"' in page and "checklist.pdf" in page

    status, body = bench.post("remove_evidence", {"file_id": first})
    assert status == 404  # handed in: it stays with the attempt
    assert EvidenceFile.objects.count() == 2


def test_removing_a_pending_file_deletes_it(bench, media, django_capture_on_commit_callbacks):
    file_id = upload(bench, "audit.pdf", PDF)[1]["file"]["id"]
    with django_capture_on_commit_callbacks(execute=True):  # the stored file goes on commit
        status, body = bench.post("remove_evidence", {"file_id": file_id})
    assert status == 200, body
    assert not EvidenceFile.objects.exists() and stored_files(media) == []


def test_a_learner_cannot_hand_in_or_remove_someone_elses_file(bench, people, settings):
    settings.DEMO_ID_VERIFICATION = {"learner": "approved", "learner2": "approved"}
    theirs = upload(bench.sign_in(people["learner2"]), "audit.pdf", PDF)[1]["file"]["id"]
    bench.sign_in(people["learner"])

    status, body = bench.post("submit_evidence", {"text": "mine", "files": [theirs]})
    assert status == 400 and body["field"] == "files"
    assert "no longer waiting to be handed in" in body["error"]
    assert bench.post("remove_evidence", {"file_id": theirs})[0] == 404
    assert not Attempt.objects.exists() and EvidenceFile.objects.get().attempt is None


@pytest.mark.parametrize("payload, field, message", [
    ({"text": "", "links": [], "files": []}, "files", "Hand in your evidence before submitting"),
    ({"text": "x", "links": ["javascript:alert(1)"]}, "links", "“javascript:alert(1)” is not a "
                                                              "web address."),
    ({"text": "x", "links": ["ftp://files.example/a"]}, "links", "is not a web address"),
    ({"text": "x", "links": ["https://"]}, "links", "is not a web address"),
    ({"text": "x", "links": ["https://a.example", "https://b.example", "https://c.example"]},
     "links", "You gave 3 links; this assessment accepts at most 2."),
    ({"text": "x", "links": "https://a.example"}, "links", "Send your links as a list"),
    ({"text": "x", "files": ["1"]}, "files", "Send your files as a list of file ids."),
])
def test_bad_hand_ins_are_refused_and_change_nothing(bench, payload, field, message):
    status, body = bench.post("submit_evidence", payload)
    assert status == 400 and body["field"] == field
    assert message in body["error"]
    assert not Attempt.objects.exists()


def test_a_text_only_unit_takes_no_files_or_links(workbench, people, media):
    workbench.sign_in(people["learner"])
    status, body = workbench.post("submit_evidence",
                                  {"text": "ok", "links": ["https://a.example"]})
    assert (status, body["field"]) == (400, "links")
    assert "This assessment does not take links." in body["error"]
    response = workbench.client.post(
        f"/handler/{workbench.scenario.usage_id}/upload_evidence/",
        {"file": SimpleUploadedFile("a.pdf", PDF)})
    assert response.status_code == 400
    assert "This assessment does not take files." in json.loads(response.content)["error"]


def test_upload_must_be_a_multipart_post(bench, hygiene_unit):
    status, body = bench.post("upload_evidence", {"file": "x"})
    assert status == 400 and "multipart/form-data" in body["error"]
    response = bench.client.get(f"/handler/{hygiene_unit.usage_id}/upload_evidence/")
    assert response.status_code == 405


def test_the_api_checks_content_whoever_calls_it(people, media, hygiene_unit):
    from io import BytesIO

    evidence = EvidenceSettings(files_enabled=True, file_types=("pdf",))
    with pytest.raises(api.InvalidEvidence, match="not a .pdf file"):
        api.upload_evidence_file(user_id=people["learner"].pk, usage_key=api_key(hygiene_unit),
                                 name="x.pdf", content=BytesIO(EXE), size=None,
                                 evidence=evidence)
    with pytest.raises(api.InvalidEvidence, match="2.0\xa0MB"):  # the announced size is not trusted
        api.upload_evidence_file(user_id=people["learner"].pk, usage_key=api_key(hygiene_unit),
                                 name="x.pdf", content=BytesIO(PDF + b"0" * 2_100_000), size=10,
                                 evidence=EvidenceSettings(files_enabled=True,
                                                           file_types=("pdf",),
                                                           max_file_size=2 * 1024 * 1024))
    assert not EvidenceFile.objects.exists()


def api_key(unit):
    from workbench.runtime import WorkbenchRuntime

    from credential_xblock.keys import usage_key_of

    block = WorkbenchRuntime("learner").get_block(unit.usage_id)
    return usage_key_of(block)


def test_retiring_a_learner_deletes_their_files(bench, people, media,
                                                django_capture_on_commit_callbacks):
    handed_in = upload(bench, "audit.pdf", PDF)[1]["file"]["id"]
    upload(bench, "pending.png", PNG)
    assert bench.post("submit_evidence", {"text": "with a file", "files": [handed_in]})[0] == 200

    with django_capture_on_commit_callbacks(execute=True):
        assert api.delete_learner_evidence_files(people["learner"].pk) == 2

    assert not EvidenceFile.objects.exists() and stored_files(media) == []
    assert Attempt.objects.count() == 1  # the attempt and its text stay for the record


def test_no_upload_while_an_attempt_waits(bench):
    assert bench.post("submit_evidence", {"text": "Checklist attached later."})[0] == 200
    status, body = upload(bench, "late.pdf", PDF)
    assert status == 409 and "waiting for assessment" in body["error"]
    assert not EvidenceFile.objects.exists()


def test_assessor_sees_the_files_and_links_and_can_open_the_files(bench, people):
    file_id = upload(bench, "checklist.pdf", PDF)[1]["file"]["id"]
    assert bench.post("submit_evidence", {"text": "", "links": ["https://video.example/w?a=1&b=2"],
                                          "files": [file_id]})[0] == 200

    page = bench.sign_in(people["staff"]).page()

    form = page.split('class="ca-assess-form"')[1]
    assert 'href="https://video.example/w?a=1&amp;b=2"' in form
    [href] = re.findall(r'<a href="([^"]+)" download>checklist.pdf</a>', form)
    response = bench.client.get(html.unescape(href))
    assert response.status_code == 200 and response.content == PDF


@pytest.mark.parametrize("file_id", ["-1", "1.0", "abc", "1e3"])
def test_a_malformed_file_id_is_not_found_not_an_error(bench, file_id):
    response = bench.client.get(f"/handler/{bench.scenario.usage_id}/evidence_file/{file_id}")
    assert response.status_code == 404
    assert json.loads(response.content)["field"] == "file_id"


@pytest.mark.parametrize("file_id", ["²", "١٢", True, -3, 2.0])
def test_digits_of_other_scripts_are_not_file_ids(people, file_id):
    """``"²".isdigit()`` is true but ``int("²")`` fails: refused as not found, never a 500."""
    with pytest.raises(api.EvidenceFileNotFound):
        api.open_evidence_file(file_id=file_id, usage_key=UNIT_KEY, viewer_id=people["staff"].pk,
                               viewer_is_staff=True)
