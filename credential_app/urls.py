"""URLs the plugin adds under ``/api/credentials/`` in LMS and Studio."""
from django.urls import path

from . import views

app_name = "credential_app"

urlpatterns = [
    path("v1/me/credentials/", views.my_credentials, name="my-credentials"),
]
