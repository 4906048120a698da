"""The report pages: each a title and the tables (and alerts) it shows."""
from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _

from credential_app.reports import delivery, outcomes
from credential_app.reports.filters import Scope
from credential_app.reports.reliability import reliability


@dataclass
class PageResult:
    tables: list
    alerts: list = field(default_factory=list)
    note: str = ""


def _tables(*builders):
    return lambda scope: PageResult([build(scope) for build in builders])


def _reliability(scope: Scope) -> PageResult:
    result = reliability(scope)
    return PageResult([result.criteria, result.assessors, result.pairs],
                      [alert.message for alert in result.alerts])


@dataclass(frozen=True)
class Page:
    slug: str
    title: str
    build: object


PAGES = {page.slug: page for page in (
    Page("overview", _("Submissions and pass rate"),
         lambda scope: PageResult(outcomes.overview(scope))),
    Page("time-to-credential", _("Time to credential"), _tables(outcomes.time_to_credential)),
    Page("criteria", _("Criteria"), _tables(outcomes.criteria)),
    Page("assessors", _("Assessors"), _tables(outcomes.assessors)),
    Page("reliability", _("Assessor reliability"), _reliability),
    Page("over-time", _("Credentials over time"), _tables(outcomes.credentials_over_time)),
    Page("cost", _("Cost per credential"), _tables(outcomes.cost_per_credential)),
    Page("delivery", _("HRIS delivery"), _tables(delivery.delivery_health)),
)}
