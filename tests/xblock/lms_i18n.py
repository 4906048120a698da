"""The LMS's XBlock i18n service, as it serves a block once atlas has pulled its catalogues.

edx-platform's ``XBlockI18nService`` (Redwood and later) reads the block's ``django``
domain from ``conf/plugins-locale/xblock.v1/<module>/`` and offers the URL of the block's
JavaScript catalogue that ``compile_xblock_translations`` wrote. Here the folder is a
test's, given by ``use``; the workbench loads this service through ``WORKBENCH["services"]``.
"""
import gettext

import django.utils.translation
from django.utils.translation import get_language, to_locale


class PulledCataloguesI18nService:
    locale_dir = None  # <locale_dir>/<locale>/LC_MESSAGES/django.mo, as atlas lays them out
    catalogue_url = None

    def __init__(self):
        try:
            self.translator = gettext.translation("django", self.locale_dir,
                                                  [to_locale(get_language())])
        except OSError:  # no catalogue for this language: Django's, as the LMS falls back
            self.translator = django.utils.translation

    @classmethod
    def use(cls, locale_dir, catalogue_url):
        cls.locale_dir, cls.catalogue_url = str(locale_dir), catalogue_url

    def get_javascript_i18n_catalog_url(self, block):
        return self.catalogue_url

    def __getattr__(self, name):
        return getattr(self.translator, name)
