"""``{% load credential_dates %}``: ``{{ value|human_date }}`` and ``{{ value|human_datetime }}``,
the one date format of every page (``credential_app.lib.dates``)."""
from django import template

from credential_app.lib import dates

register = template.Library()
register.filter("human_date", dates.human_date)
register.filter("human_datetime", dates.human_datetime)
