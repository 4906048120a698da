"""The CSV files the README's walkthrough uploads say what it says they do."""
from pathlib import Path

import pytest

from credential_app.workplace import csv_import
from credential_app.workplace.ingest import EventsRejected

DEMO = Path(__file__).resolve().parents[2] / "demo"


def test_the_sample_file_is_valid():
    assert len(csv_import.check((DEMO / "outcomes-sample.csv").read_bytes())) == 6


def test_the_bad_file_names_every_problem_by_line_and_field():
    with pytest.raises(EventsRejected) as refused:
        csv_import.check((DEMO / "outcomes-bad.csv").read_bytes())
    assert {(p.position, p.field) for p in refused.value.problems} == {
        (2, "date"), (3, "employee_id"), (3, "value"), (4, "type"), (5, "role"),
        (6, "event_id")}
