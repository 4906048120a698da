"""The root addresses earlier versions published, for a site that issued badges with them.

Mounted by ``urls.py`` only when ``CREDENTIAL_APP["LEGACY_ROOT_URLS"]`` is on
(docs/decisions/0011). Badge pages, their downloads, achievement images and status lists
move permanently (301) to their addresses under ``credential-app/``. DID documents are
served, not redirected: a did:web document must carry the DID that was resolved, and the
credentials already handed out name the earlier DIDs.
"""
from django.urls import path

from credential_app.lib import url_converters  # noqa: F401 (registers "id" for the paths below)
from credential_app.web import legacy

urlpatterns = [
    path("badges/verify/", legacy.moved_to("badge_verify")),
    path("badges/<uuid:uuid>/", legacy.moved_to("badge_page")),
    path("badges/<uuid:uuid>/evidence/", legacy.moved_to("badge_evidence")),
    path("badges/<uuid:uuid>/credential.json", legacy.moved_to("badge_json")),
    path("badges/<uuid:uuid>/credential.jwt", legacy.moved_to("badge_jwt")),
    path("badges/<uuid:uuid>/badge.png", legacy.moved_to("badge_png")),
    path("badges/<uuid:uuid>/badge.svg", legacy.moved_to("badge_svg")),
    path("credentials/", legacy.moved_to("learner-credentials")),
    path("openbadges/achievements/<slug:slug>/image.png", legacy.moved_to("achievement-image")),
    path("openbadges/status/<id:list_id>/", legacy.moved_to("badge-status-list")),
    path("openbadges/issuers/<str:issuer_ref>/did.json", legacy.issuer_did_document,
         name="legacy-badge-issuer-did"),
]
