"""Twelve uploads at once to a unit that takes three files keep exactly three (the attack
run left five: the count was read without a lock). Real threads and connections, MariaDB."""
import io
import threading

import pytest
from django.core.files.storage import default_storage

from credential_app import api
from credential_app.core import evidence
from credential_app.data import EvidenceSettings
from credential_app.exceptions import InvalidEvidence
from credential_app.models import EvidenceFile
from tests.concurrency import ROW_LOCKS, race
from tests.core.test_api import UNIT
from tests.learner_helpers import PDF

pytestmark = ROW_LOCKS

SETTINGS = EvidenceSettings(files_enabled=True, max_files=3, file_types=("pdf",))


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)
    return tmp_path


def test_simultaneous_uploads_never_exceed_the_files_allowed(people, media, monkeypatch):
    learner = people["learner"]
    # Every upload reaches the content check (after the early count, before the file is
    # kept) before any goes on: the widest window a real burst of requests can open.
    everyone_checked = threading.Barrier(12, timeout=30)
    check_content = evidence._check_content

    def check_then_wait(*args):
        result = check_content(*args)
        everyone_checked.wait()
        return result

    monkeypatch.setattr(evidence, "_check_content", check_then_wait)

    def upload(i):
        return api.upload_evidence_file(user_id=learner.pk, usage_key=UNIT,
                                        name=f"plan-{i}.pdf", content=io.BytesIO(PDF),
                                        size=len(PDF), evidence=SETTINGS)

    outcomes = race(12, upload)
    kept = [value for kind, value in outcomes if kind == "ok"]
    refused = [value for kind, value in outcomes if kind == "error"]
    assert len(kept) == 3
    assert len(refused) == 9 and all(isinstance(e, InvalidEvidence) for e in refused)
    assert EvidenceFile.objects.filter(user=learner, attempt__isnull=True).count() == 3
    stored = sorted(p.name for p in (media / "credential-evidence").iterdir())  # refused: gone
    assert stored == sorted(f.storage_key.rsplit("/", 1)[-1]
                            for f in EvidenceFile.objects.all())
    assert default_storage.exists(EvidenceFile.objects.first().storage_key)
