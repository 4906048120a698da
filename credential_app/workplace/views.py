"""Staff pages of workplace outcomes: lagging indicators, ROI, governance. Aggregates only
(small groups withheld); individual outcomes are only in the admin, with their own
permission."""
from urllib.parse import urlencode

from django import forms
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from credential_app.core.models import CredentialDefinition
from credential_app.reports.views import _base, _csv_response, _shown, staff_only
from credential_app.workplace import governance, indicators, report, roi
from credential_app.workplace.models import RoiAssumptions

PAGES = (("workplace-indicators", gettext_lazy("Lagging indicators")),
         ("workplace-roi", gettext_lazy("Return on investment")),
         ("workplace-governance", gettext_lazy("Governance dashboard")))


class GroupForm(forms.Form):
    group = forms.ChoiceField(label=gettext_lazy("Figures for"), required=False)

    def __init__(self, data=None):
        super().__init__(data)
        self.fields["group"].choices = report.group_choices()

    def chosen(self) -> tuple[str, str] | None:
        choices = self.fields["group"].choices
        if self.is_valid() and self.cleaned_data["group"]:
            value = self.cleaned_data["group"]
        elif choices:
            value = choices[0][0]
        else:
            return None
        kind, _sep, key = value.partition(":")
        return kind, key


class CredentialForm(forms.Form):
    credential = forms.ModelChoiceField(
        label=gettext_lazy("Credential"), required=False, empty_label=None,
        queryset=CredentialDefinition.objects.filter(previous_version__isnull=True)
        .order_by("name"))

    def chosen(self):
        """The credential asked for; else the first with ROI unit values; else the first."""
        if self.is_valid() and self.cleaned_data.get("credential"):
            return self.cleaned_data["credential"]
        credentials = self.fields["credential"].queryset
        priced = RoiAssumptions.objects.values("definition_id")
        chosen = credentials.filter(pk__in=priced).first() or credentials.first()
        self.fields["credential"].initial = chosen
        return chosen


def _page(request, name, title, form, tables, notes=(), csv=None, **extra):
    return render(request, "credential_app/workplace/page.html", {
        "base_template": _base(), "pages": PAGES, "current": name, "title": title,
        "form": form, "tables": _shown(tables, csv) if tables else [], "notes": notes,
        **extra})


def _indicator_tables(request):
    form = GroupForm(request.GET or None)
    chosen = form.chosen()
    kind, key = chosen or ("credential", "")  # nothing computed yet: empty tables
    tables = [report.indicator_table(kind, key), report.matching_table(kind, key)]
    return form, chosen, tables


@require_http_methods(["GET", "POST"])
@staff_only
def lagging(request):
    if request.method == "POST":  # recompute from the outcome events now
        indicators.refresh()
        return redirect(f"{reverse('credential_app:workplace-indicators')}?"
                        f"{urlencode({'group': request.POST.get('group', '')[:300]})}")
    form, chosen, tables = _indicator_tables(request)
    notes = [] if chosen else [_("No figures yet: outcome events have not been received, or "
                                 "the indicators have not been computed (Recompute).")]
    query = urlencode({"group": f"{chosen[0]}:{chosen[1]}"}) if chosen else ""
    return _page(request, "workplace-indicators", _("Lagging indicators"), form, tables,
                 notes, lambda t: f"{reverse('credential_app:workplace-indicators-csv', kwargs={'table': t.key})}?{query}",  # noqa: E501
                 method=str(report.METHOD).format(k=indicators.controls_per_holder(),
                                                  minimum=indicators.min_group()),
                 refresh=True, group_value=query[6:] if query else "")


@require_GET
@staff_only
def lagging_csv(request, table):
    _form, _chosen, tables = _indicator_tables(request)
    found = next((t for t in tables if t.key == table), None)
    if found is None:
        raise Http404(_("No such table."))
    return _csv_response(found, f"lagging-{table}.csv")


def _roi_tables(request):
    form = CredentialForm(request.GET or None)
    definition = form.chosen()
    tables, notes = roi.roi_tables(definition)
    return form, definition, tables, notes


@require_GET
@staff_only
def return_on_investment(request):
    form, definition, tables, notes = _roi_tables(request)
    query = urlencode({"credential": definition.pk}) if definition else ""
    return _page(request, "workplace-roi", _("Return on investment"), form, tables, notes,
                 lambda t: f"{reverse('credential_app:workplace-roi-csv', kwargs={'table': t.key})}?{query}")  # noqa: E501


@require_GET
@staff_only
def return_on_investment_csv(request, table):
    _form, _definition, tables, _notes = _roi_tables(request)
    found = next((t for t in tables if t.key == table), None)
    if found is None:
        raise Http404(_("No such table."))
    return _csv_response(found, f"roi-{table}.csv")


@require_http_methods(["GET", "POST"])
@staff_only
def governance_dashboard(request):
    notes, status = [], 200
    if request.method == "POST":
        form = governance.ReviewForm(request.POST)
        if form.is_valid():
            governance.mark_reviewed(form.cleaned_data["indicator"], request.user.pk,
                                     form.cleaned_data["note"])
            return redirect(f"{reverse('credential_app:workplace-governance')}?reviewed="
                            f"{form.cleaned_data['indicator']}")
        notes, status = [_("That review was not recorded: choose an indicator, and keep the "
                           "note under 500 characters.")], 400
    table = governance.dashboard_table()
    response = _page(request, "workplace-governance", _("Governance dashboard"), None,
                     [table], notes,
                     lambda t: reverse("credential_app:workplace-governance-csv"),
                     reviews=table.rows, review_form=True,
                     reviewed=request.GET.get("reviewed", "")[:40])
    response.status_code = status
    return response


@require_GET
@staff_only
def governance_csv(request):
    return _csv_response(governance.dashboard_table(), "governance.csv")
