"""Path converters for the app's URLs. ``id``: a database id, at most 9 digits, so a
number no row can have is a 404 by the URL itself rather than an overflow in the
database (``<int:…>`` takes any length: 10**30 made SQLite raise, a 500)."""
from django.urls import register_converter


class DatabaseIdConverter:
    regex = "[0-9]{1,9}"

    def to_python(self, value):
        return int(value)

    def to_url(self, value):
        return str(value)


register_converter(DatabaseIdConverter, "id")
