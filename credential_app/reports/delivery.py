"""HRIS delivery health: how pushes of credentials to employers' HR systems fare.

HOOK: the outbox (``OutboxMessage``/``DeliveryAttempt``) belongs to the HRIS delivery
work. Until those models exist this report says so; ``delivery_health`` is the one
place to fill in once they land.
"""
from django.apps import apps
from django.utils.translation import gettext_lazy as _

from .filters import Scope
from .tables import Column, Table

COLUMNS = (Column("destination", _("Destination")), Column("messages", _("Messages"), True),
           Column("delivered", _("Delivered"), True), Column("pending", _("Waiting"), True),
           Column("dead", _("Given up"), True),
           Column("delivered_rate", _("Delivered (%)"), True),
           Column("attempts", _("Delivery attempts"), True),
           Column("mean_latency_ms", _("Mean response time (ms)"), True))


def outbox_model():
    """The outbox message model once HRIS delivery is installed, else None."""
    try:
        return apps.get_model("credential_app", "OutboxMessage")
    except LookupError:
        return None


def delivery_health(scope: Scope) -> Table:
    table = Table("delivery", _("HRIS delivery health"), COLUMNS, [],
                  _("HRIS delivery is not installed in this version, so there is nothing to "
                    "report yet."))
    if outbox_model() is None:
        return table
    return table  # pragma: no cover (filled in when the outbox models land)
