"""URLs of the workplace outcome pages (added to ``credential_app.urls``)."""
from django.urls import path

from credential_app.workplace import views

urlpatterns = [
    path("workplace/indicators/", views.lagging, name="workplace-indicators"),
    path("workplace/indicators/<slug:table>.csv", views.lagging_csv,
         name="workplace-indicators-csv"),
    path("workplace/roi/", views.return_on_investment, name="workplace-roi"),
    path("workplace/roi/<slug:table>.csv", views.return_on_investment_csv,
         name="workplace-roi-csv"),
    path("workplace/governance/", views.governance_dashboard, name="workplace-governance"),
    path("workplace/governance.csv", views.governance_csv, name="workplace-governance-csv"),
]
