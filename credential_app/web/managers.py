"""The manager's page: search the employer's consenting employees by credential, pathway or
job task. Only managers an employer authorised get in (403 for anyone else); every search
is audited (``hris.employee_search``)."""
from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.views.decorators.http import require_safe

from credential_app import api


@require_safe
@login_required
def employee_search(request):
    if not api.is_employer_manager(request.user.pk):
        raise PermissionDenied
    options = api.get_employee_search_options()
    slug = request.GET.get("credential", "")[:100]
    slug = slug if slug in {s for s, _name in options["credentials"]} else ""
    try:
        task = int(request.GET.get("task", ""))
    except ValueError:
        task = None
    task = task if task in {t for t, _label in options["tasks"]} else None
    results = None
    if slug or task:
        results = api.search_employees(manager_id=request.user.pk, credential_slug=slug,
                                       task_id=task)
    return render(request, "credential_app/employee_search.html", {
        "base_template": settings.CREDENTIAL_APP["PAGE_BASE_TEMPLATE"],
        "options": options, "chosen": {"credential": slug, "task": task},
        "results": results,
    })
