"""Settings this plugin adds to the LMS and Studio (edx-django-utils plugin settings)."""
