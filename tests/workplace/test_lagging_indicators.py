"""Lagging indicators: holders against a matched comparison group (role, site, hire-date
band, prior performance), with SciPy's Welch interval; small groups withheld; the page
says plainly when nothing can be concluded."""
import math
import statistics

import pytest
from django.urls import reverse
from scipy import stats

from credential_app.models import Cohort, HrisConsent, IndicatorFigure
from credential_app.workplace import indicators
from tests.workplace.outcome_world import TODAY, standard

pytestmark = pytest.mark.django_db


def figure(indicator, kind="credential"):
    return IndicatorFigure.objects.get(group_kind=kind, indicator=indicator)


def welch(a, b):
    """The 95 % Welch interval, by its textbook formula (the t quantile from SciPy)."""
    va, vb = statistics.variance(a) / len(a), statistics.variance(b) / len(b)
    df = (va + vb) ** 2 / (va ** 2 / (len(a) - 1) + vb ** 2 / (len(b) - 1))
    half = stats.t.ppf(0.975, df) * math.sqrt(va + vb)
    diff = statistics.fmean(a) - statistics.fmean(b)
    return diff - half, diff + half


def test_holders_are_compared_with_matched_colleagues():
    force = standard()
    force.store()
    indicators.refresh(TODAY)
    perf = figure("performance_90")
    assert (perf.holders, perf.controls, perf.unmatched) == (6, 18, 0)
    holders = [108 + n % 6 for n in range(6)]
    controls = [93 + n % 6 for n in range(18)]
    assert perf.difference == pytest.approx(statistics.fmean(holders) - statistics.fmean(controls))
    low, high = welch(holders, controls)
    assert (perf.ci_low, perf.ci_high) == (pytest.approx(low), pytest.approx(high))
    retention = figure("retention_180")
    assert retention.holder_mean == 100
    assert retention.control_mean == pytest.approx(100 * 16 / 18)
    assert figure("salary_uplift").difference == pytest.approx(1)
    # the course's and the credential's groups are the same people here
    assert figure("performance_90", "course").difference == pytest.approx(perf.difference)


def test_colleagues_of_another_site_or_role_are_never_the_comparison():
    force = standard()
    for number in range(6):  # poor performers at another site: must not be matched
        force.person(f"P{number}", site="Porto")
        force.add(f"P{number}", "performance", "2025-08-15", "40")
    force.person("S0", holds=True, role="Supervisor")  # no supervisor without it
    force.add("S0", "performance", "2025-08-15", "120")
    force.store()
    indicators.refresh(TODAY)
    perf = figure("performance_90")
    assert perf.control_mean == pytest.approx(statistics.fmean(93 + n % 6 for n in range(18)))
    assert (perf.holders, perf.unmatched) == (6, 1)


def test_prior_performance_is_matched_when_the_holder_has_a_rating():
    force = standard(holders=6, controls=0)
    for number in range(6):  # same role and site, but rated far above target before
        force.person(f"A{number}", prior="130")
        force.add(f"A{number}", "performance", "2025-08-15", "150")
    force.store()
    indicators.refresh(TODAY)
    assert figure("performance_90").controls == 0  # no one at the holders' prior band


def test_outcomes_not_yet_observable_are_not_counted():
    force = standard()
    force.store()
    indicators.refresh(TODAY.replace(year=2025, month=8, day=20))  # 80 days after
    assert figure("performance_90").holders == 0  # rated already, but 90 days not yet past
    assert figure("retention_180").holders == 0
    assert figure("performance_90").holder_mean is None


def page(client, **params):
    return client.get(reverse("credential_app:workplace-indicators"), params)


@pytest.fixture
def staff_client(client):
    from django.contrib.auth import get_user_model

    client.force_login(get_user_model().objects.create_user("hr-lead", is_staff=True))
    return client


def test_the_page_shows_figures_method_and_sample_sizes(staff_client):
    force = standard()
    force.store()
    indicators.refresh(TODAY)
    text = page(staff_client).content.decode()
    assert "Matched comparison group" in text and "SciPy" in text
    assert "Holders higher." in text
    assert "<td class=\"ca-num\">18</td>" in text  # the matched sample
    assert "role=\"img\"" in text  # the chart


def test_small_groups_are_withheld_and_the_page_says_so(staff_client, settings):
    force = standard(holders=4)
    force.store()
    indicators.refresh(TODAY)
    text = page(staff_client).content.decode()
    assert "Too few people to conclude anything" in text
    assert "108" not in text and "110.5" not in text
    csv = staff_client.get(reverse("credential_app:workplace-indicators-csv",
                                   kwargs={"table": "lagging"})).content.decode()
    assert "Too few people" in csv and ",4," not in csv
    settings.CREDENTIAL_APP = {**settings.CREDENTIAL_APP, "WORKPLACE_MIN_GROUP": 3}
    assert "Holders higher." in page(staff_client).content.decode()


def test_only_staff_see_the_page(client):
    from django.contrib.auth import get_user_model

    client.force_login(get_user_model().objects.create_user("someone"))
    assert page(client).status_code == 403


def test_staff_recompute_from_the_page(staff_client):
    standard().store()
    answer = staff_client.post(reverse("credential_app:workplace-indicators"))
    assert answer.status_code == 302
    assert IndicatorFigure.objects.filter(indicator="performance_90").exists()


def test_employees_who_withdraw_consent_leave_the_figures():
    force = standard()
    force.store()
    HrisConsent.objects.filter(user__in=force.holders[:1] + force.controls[:3]).update(
        given=False)
    indicators.refresh(TODAY)
    assert (figure("performance_90").holders, figure("performance_90").controls) == (5, 15)


def test_a_cohort_is_compared_with_employees_holding_no_credential():
    force = standard()
    for number in range(6):  # hold the credential, outside the cohort: not a comparison
        force.person(f"O{number}", holds=True)
        force.add(f"O{number}", "performance", "2025-08-15", "60")
    force.store()
    cohort = Cohort.objects.create(name="Spring intake")
    cohort.members.set(force.holders)
    indicators.refresh(TODAY)
    perf = figure("performance_90", "cohort")
    assert (perf.holders, perf.controls) == (6, 18)
    assert perf.control_mean == pytest.approx(statistics.fmean(93 + n % 6 for n in range(18)))
