"""Demo pages: the scenario list and a one-click sign-in as a demo user."""
from django.conf import settings
from django.contrib.auth import get_user_model, login, logout
from django.http import Http404, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST
from workbench.scenarios import get_scenarios

from demo.users import DEMO_USERNAMES, DEMO_USERS


def home(request):
    scenarios = sorted(
        (scenario_id, scenario) for scenario_id, scenario in get_scenarios().items()
        if scenario_id.split(".")[0] not in settings.EXCLUDED_XBLOCKS
    )
    return render(request, "demo/home.html", {"scenarios": scenarios, "demo_users": DEMO_USERS})


def sign_in(request):
    """GET: choose who to be. POST: become that demo user (no password: local demo only)."""
    next_url = request.POST.get("next") or request.GET.get("next") or "/"
    if not url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()}):
        next_url = "/"
    if request.method == "POST":
        username = request.POST.get("username", "")
        user = get_user_model().objects.filter(username=username).first()
        if username not in DEMO_USERNAMES or user is None:
            return HttpResponseBadRequest("Unknown demo user. Run `make demo` to create them.")
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        return redirect(next_url)
    return render(request, "demo/sign_in.html", {"demo_users": DEMO_USERS, "next": next_url})


@require_POST
def sign_out(request):
    logout(request)
    return redirect("/demo/sign-in/")


def id_verification(request):
    """Stands in for the LMS's ID verification page (account MFE ``/id-verification``)."""
    return render(request, "demo/id_verification.html", {"demo_users": DEMO_USERS})


def not_served(request):
    """Stored files are never served as media: an evidence file only through the block's
    ``evidence_file`` handler, which checks that the viewer may see it."""
    raise Http404("Stored files are not served here.")
