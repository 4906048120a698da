"""OEP-30 annotations, checked with Open edX's own tool (code-annotations, as the platform's
``make pii_check`` and settings documentation use it).

- Every model of the app says what personal data it keeps (``.. pii:``, ``.. pii_types:``,
  ``.. pii_retirement:``) or that it keeps none (``.. no_pii:``) in its docstring.
- Every ``CREDENTIAL_APP`` key is a setting annotated with ``.. setting_name:``,
  ``.. setting_default:`` and ``.. setting_description:``, and every key the code reads is
  one of them. (Platform settings the app reads, such as ``LMS_ROOT_URL`` or
  ``PLATFORM_NAME``, are annotated where edx-platform defines them.)
"""
import re
from importlib.resources import files
from pathlib import Path

import pytest
from code_annotations.base import AnnotationConfig
from code_annotations.find_django import DjangoSearch
from code_annotations.find_static import StaticSearch
from django.apps import apps

from credential_app.settings.common import DEFAULTS, HRIS_DEFAULTS

ROOT = Path(__file__).resolve().parent.parent
SETTING_ANNOTATIONS = files("code_annotations") / "contrib" / "config" / "setting_annotations.yaml"
# How the code reads a key: CREDENTIAL_APP["KEY"], CREDENTIAL_APP.get("KEY"), setting("KEY")
READ = re.compile(r'(?:CREDENTIAL_APP(?:\[|\.get\()|\bsetting\()"([A-Z][A-Z0-9_]+)"')


@pytest.fixture(autouse=True)
def in_the_checkout(monkeypatch):
    monkeypatch.chdir(ROOT)  # the configurations name paths from the repository's root


def test_every_model_says_what_personal_data_it_keeps():
    config = AnnotationConfig(str(ROOT / ".pii_annotations.yml"), verbosity=0)
    search = DjangoSearch(config, app_name="credential_app")
    search.check_results(search.search())

    assert search.errors == []  # every group complete, every pii_type and retirement valid
    assert search.uncovered_model_ids == set()
    assert search.check_coverage()
    ours = [model for model in apps.get_app_config("credential_app").get_models()
            if not model._meta.abstract and not model._meta.proxy]
    assert search.model_counts["annotated"] == len(ours) > 30


def test_every_setting_the_app_reads_is_annotated():
    config = AnnotationConfig(str(SETTING_ANNOTATIONS), verbosity=0,
                              source_path_override="credential_app/settings")
    search = StaticSearch(config)
    found = search.search()
    search.check_results(found)
    assert search.errors == []  # each setting_name with its default and description

    annotated = [annotation["annotation_data"] for annotations in found.values()
                 for annotation in annotations
                 if annotation["annotation_token"] == ".. setting_name:"]
    keys = {*DEFAULTS, *HRIS_DEFAULTS}
    assert sorted(annotated) == sorted(f'CREDENTIAL_APP["{key}"]' for key in keys)

    read = {key for package in ("credential_app", "credential_xblock")
            for path in (ROOT / package).rglob("*.py")
            for key in READ.findall(path.read_text())}
    assert read and read <= keys, read - keys
