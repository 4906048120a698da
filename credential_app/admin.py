"""Django's admin autodiscovery imports ``credential_app.admin``: each domain's admin module
registers its own models when imported here."""
from credential_app.catalogue import admin as catalogue_admin
from credential_app.core import admin as core_admin
from credential_app.hris import admin as hris_admin
from credential_app.hris import people_admin
from credential_app.pathways import admin as pathways_admin
from credential_app.reports import admin as reports_admin
from credential_app.workplace import admin as workplace_admin

REGISTERING_MODULES = (catalogue_admin, core_admin, hris_admin, people_admin, pathways_admin,
                       reports_admin, workplace_admin)
