"""Dates as every page shows them, in one format: "4 December 2027" and, with a time,
"4 December 2027, 07:20 UTC" (day, month name, year: read the same way everywhere, month
names in the reader's language; times in the site's time zone, which is named)."""
from django.utils import timezone
from django.utils.formats import date_format

DATE = "j F Y"
DATE_AND_TIME = "j F Y, H:i e"


def human_date(value) -> str:
    if value is None:
        return ""
    if hasattr(value, "tzinfo") and timezone.is_aware(value):
        value = timezone.localtime(value)
    return date_format(value, DATE)


def human_datetime(value) -> str:
    if value is None:
        return ""
    return date_format(timezone.localtime(value) if timezone.is_aware(value) else value,
                       DATE_AND_TIME)
