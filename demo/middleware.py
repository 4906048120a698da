"""Bind the workbench's ``?student=`` to the signed-in user.

The workbench trusts whatever ``?student=`` says; here it always names the
Django user of the session, so nobody can act as someone else by editing a URL.
"""
from django.http import JsonResponse
from django.shortcuts import redirect
from django.utils.http import urlencode

from credential_app.lib.public_urls import URL_PREFIX

APP = f"/{URL_PREFIX}"  # every page of the plugin's app starts with it
OPEN_PATHS = ("/demo/", "/static/", "/jsi18n/", "/resource/", "/admin/",
              f"{APP}api/",  # the REST API authenticates itself (session or JWT): 401
              f"{APP}openbadges/", f"{APP}badges/",  # public: verifiers sign in nowhere
              f"{APP}catalogue/")  # the catalogue decides itself (CATALOGUE_ACCESS)
# Django pages that are not the workbench's: a stray ?student= would confuse them
# (the admin reads every query parameter as a filter).
NOT_WORKBENCH = ("/admin/", "/media/", APP)


class DemoSignInMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated:
            if not request.path.startswith(NOT_WORKBENCH):
                query = request.GET.copy()
                query["student"] = request.user.username
                request.GET = query
        elif not request.path.startswith(OPEN_PATHS):
            if request.path.startswith(("/handler/", "/aside_handler/", "/unauth_handler/")):
                return JsonResponse({"error": "Sign in first."}, status=403)
            return redirect(f"/demo/sign-in/?{urlencode({'next': request.get_full_path()})}")
        return self.get_response(request)
