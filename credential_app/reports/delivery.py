"""HRIS delivery health: how pushes of credentials to employers' HR systems fare.

Per destination: messages by state (delivered, waiting, set aside), the delivered share,
the mean time from the event to delivery, and the tries with their failures and mean
response time. Two aggregate queries (messages; tries), whatever the volume. The outbox
models belong to HRIS delivery; where they are absent the report says so.
"""
from datetime import timedelta

from django.apps import apps
from django.db.models import Avg, Count, DurationField, ExpressionWrapper, F, Q
from django.utils.translation import gettext_lazy as _

from credential_app.reports.charts import Chart, Series
from credential_app.reports.filters import Scope
from credential_app.reports.tables import Column, Table

COLUMNS = (Column("destination", _("Destination")), Column("messages", _("Messages"), True),
           Column("delivered", _("Delivered"), True), Column("pending", _("Waiting"), True),
           Column("dead", _("Set aside"), True),
           Column("delivered_rate", _("Delivered (%)"), True),
           Column("mean_minutes", _("Mean minutes from event to delivery"), True),
           Column("tries", _("Tries"), True), Column("failed_tries", _("Failed tries"), True),
           Column("mean_latency_ms", _("Mean response time (ms)"), True))


def _model(name):
    try:
        return apps.get_model("credential_app", name)
    except LookupError:
        return None


def delivery_health(scope: Scope) -> Table:
    outbox, tries = _model("OutboxMessage"), _model("DeliveryAttempt")
    title = _("HRIS delivery health")
    if outbox is None or tries is None:
        return Table("delivery", title, COLUMNS, [],
                     _("HRIS delivery is not installed in this version, so there is nothing "
                       "to report yet."))
    where = scope.q(moment="created_at", definition="attempt__definition",
                    course="attempt__course_key", user="attempt__user")
    took = ExpressionWrapper(F("delivered_at") - F("created_at"), output_field=DurationField())
    messages = list(outbox.objects.filter(where).values("destination_id", "destination__name")
                    .annotate(messages=Count("id"),
                              delivered=Count("id", filter=Q(state="delivered")),
                              pending=Count("id", filter=Q(state="pending")),
                              dead=Count("id", filter=Q(state="dead")),
                              mean=Avg(took, filter=Q(state="delivered")))
                    .order_by("destination__name"))
    tried = {r["message__destination_id"]: r for r in tries.objects.filter(
        scope.q(moment="message__created_at", definition="message__attempt__definition",
                course="message__attempt__course_key", user="message__attempt__user"))
        .values("message__destination_id").annotate(
            tries=Count("id"), failed=Count("id", filter=~Q(outcome="delivered")),
            latency=Avg("latency_ms")).order_by()}
    rows = []
    for m in messages:  # one row per destination
        t = tried.get(m["destination_id"], {})
        mean = m["mean"]
        if mean is not None and not hasattr(mean, "total_seconds"):
            mean = timedelta(microseconds=mean)
        rows.append({
            "destination": m["destination__name"], "messages": m["messages"],
            "delivered": m["delivered"], "pending": m["pending"], "dead": m["dead"],
            "delivered_rate": round(100 * m["delivered"] / m["messages"], 1)
            if m["messages"] else None,
            "mean_minutes": round(mean.total_seconds() / 60, 1) if mean is not None else None,
            "tries": t.get("tries", 0), "failed_tries": t.get("failed", 0),
            "mean_latency_ms": round(t["latency"]) if t.get("latency") is not None else None,
        })
    return Table(
        "delivery", title, COLUMNS, rows,
        _("Records written to the outbox in the period (credential events, and attempt "
          "events for learning record stores), per HR system: how many arrived, wait, or "
          "were set aside after too many tries, and how the tries went."),
        Chart("bar", _("Delivered share per destination"),
              _("Percent of messages delivered, per HR system."),
              tuple(r["destination"] for r in rows),
              (Series(str(_("Delivered (%)")), tuple(r["delivered_rate"] for r in rows)),)))
