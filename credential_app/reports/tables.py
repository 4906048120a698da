"""A report table: what the page shows, the CSV holds and the REST API returns.

Every figure is one ``Table`` (a key, a title, labelled columns, rows of plain values), so
the three outputs cannot disagree.
"""
import csv
import io
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal


@dataclass(frozen=True)
class Column:
    key: str
    label: str
    numeric: bool = False


@dataclass
class Table:
    key: str
    title: str
    columns: tuple[Column, ...]
    rows: list[dict] = field(default_factory=list)
    description: str = ""
    chart: object = None  # a charts.Chart drawn from the rows, or None

    def values(self, row):
        return [row.get(column.key) for column in self.columns]

    def as_json(self) -> dict:
        return {
            "key": self.key,
            "title": str(self.title),
            "description": str(self.description),
            "columns": [{"key": c.key, "label": str(c.label), "numeric": c.numeric}
                        for c in self.columns],
            "rows": [{c.key: _json_value(row.get(c.key)) for c in self.columns}
                     for row in self.rows],
        }


def _json_value(value):
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, float):
        return round(value, 4)
    return value


FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value) -> str:
    """A CSV cell spreadsheets will not run as a formula (OWASP "CSV injection")."""
    if value is None:
        return ""
    if isinstance(value, float):
        value = round(value, 4)
    text = _json_value(value)
    text = str(text)
    if isinstance(value, int | float | Decimal) and not isinstance(value, bool):
        return text  # a number is data, even when negative
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def to_csv(table: Table) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([safe_cell(str(c.label)) for c in table.columns])
    for row in table.rows:
        writer.writerow([safe_cell(v) for v in table.values(row)])
    return out.getvalue()
