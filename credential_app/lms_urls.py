"""The app mounted as the LMS mounts it (``apps.py``'s url_config), as a URLconf of its own.

``lib.public_urls`` reverses on it, so an address of one of the app's LMS pages is the
same whichever process names it: the LMS, Studio (which mounts none of them), a Celery
worker. ``tests/test_plugin_registration.py`` checks it against the LMS's own mounting.
"""
from django.urls import include, path

urlpatterns = [path("", include("credential_app.urls", namespace="credential_app"))]
