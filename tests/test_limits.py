"""The README's table of limits says what the code does: each number is the constant it
names (a limit changed in code without the README, or the other way round, fails here)."""
import re
from pathlib import Path

from django.conf import settings

from credential_app import data
from credential_app.catalogue import entries as catalogue_entries
from credential_app.core import evidence, policies, reasons, scoring
from credential_app.hris import employee_search
from credential_app.lib import json_input
from credential_app.openbadges import jsonld, verification
from credential_app.pathways import record_checks as pathway_checks
from credential_app.workplace import ingest, pull, webhook

README = Path(__file__).resolve().parents[1] / "README.md"

EXPECTED = {
    "JSON body of a block handler or REST endpoint": f"{json_input.MAX_BYTES // 1024} KB",
    "JSON nesting depth": str(json_input.MAX_DEPTH),
    "values in one JSON body": str(json_input.MAX_VALUES),
    "rubric criteria": str(data.MAX_CRITERIA),
    "levels per criterion": str(data.MAX_LEVELS),
    "points of a level": str(data.MAX_LEVEL_POINTS),
    "criterion or level label (characters)": str(data.MAX_LABEL_LENGTH),
    "criterion or level description (characters)": str(data.MAX_DESCRIPTION_LENGTH),
    "criterion and level names (characters)": str(data.MAX_NAME_LENGTH),
    "files a unit may take per attempt": str(data.MAX_FILES_PER_ATTEMPT),
    "links a unit may take per attempt": str(data.MAX_LINKS_PER_ATTEMPT),
    "length of a link (characters)": str(evidence.MAX_LINK_LENGTH),
    "assessor comment per criterion (characters)": str(scoring.MAX_COMMENT_LENGTH),
    "reason for an override, revocation or reset (characters)": str(reasons.MAX_REASON_LENGTH),
    "extra attempts granted at once": str(policies.MAX_EXTRA_ATTEMPTS),
    "written evidence (characters), any unit":
        str(settings.CREDENTIAL_APP["MAX_EVIDENCE_TEXT_LENGTH"]),
    "evidence file, any unit (bytes; and the LMS's `STUDENT_FILEUPLOAD_MAX_SIZE`)":
        str(settings.CREDENTIAL_APP["MAX_EVIDENCE_FILE_SIZE"]),
    "credential handed to the public verifier: JSON (bytes)": str(verification.MAX_JSON_BYTES),
    "its depth / values": f"{verification.MAX_JSON_DEPTH} / {verification.MAX_JSON_NODES}",
    "canonicalisation: statements / blank nodes / blank-node work":
        f"{jsonld.MAX_QUADS} / {jsonld.MAX_BLANK_NODES} / {jsonld.MAX_N_DEGREE_STEPS}",
    "credentials one pathway requires / pathways nested":
        f"{pathway_checks.MAX_REQUIREMENTS} / {pathway_checks.MAX_DEPTH}",
    "catalogue search term (characters) / entries a page":
        f"{catalogue_entries.MAX_TERM} / {catalogue_entries.PAGE_SIZE}",
    "employees one manager's search returns": str(employee_search.MAX_RESULTS),
    "workplace outcome webhook message (bytes)": str(webhook.MAX_BODY_BYTES),
    "outcome events per webhook message": str(webhook.MAX_EVENTS_PER_MESSAGE),
    "outcome events per CSV file or pulled page batch": str(ingest.MAX_EVENTS),
    "pages one outcome pull reads (500 events each)": str(pull.MAX_PAGES),
}


def readme_limits() -> dict:
    section = README.read_text().split("## Limits", 1)[1].split("\n## ", 1)[0]
    rows = re.findall(r"^\| (.+?) \| (.+?) \| .+ \|$", section, re.MULTILINE)
    return {what: limit for what, limit in rows if what not in ("what", "---")}


def test_the_readme_table_of_limits_matches_the_code():
    stated = readme_limits()
    stated.pop("text in any JSON body", None)  # a rule, not a number
    assert stated == EXPECTED
