"""Outbox rows for attempt events (xAPI): every row names its attempt; credential optional.

Existing rows take their credential's attempt, so the learner, definition and course of any
row are reached through ``attempt``.
"""
import django.db.models.deletion
from django.db import migrations, models
from django.db.models import OuterRef, Subquery


def attempts_of_credentials(apps, schema_editor):
    OutboxMessage = apps.get_model("credential_app", "OutboxMessage")
    Credential = apps.get_model("credential_app", "Credential")
    OutboxMessage.objects.filter(attempt__isnull=True).update(attempt_id=Subquery(
        Credential.objects.filter(pk=OuterRef("credential_id")).values("attempt_id")[:1]))


class Migration(migrations.Migration):

    dependencies = [
        ("credential_app", "0016_attempt_queue_page_index"),
    ]

    operations = [
        migrations.AddField(
            model_name="outboxmessage",
            name="attempt",
            field=models.ForeignKey(null=True, on_delete=django.db.models.deletion.CASCADE,
                                    related_name="+", to="credential_app.attempt",
                                    verbose_name="attempt"),
        ),
        migrations.RunPython(attempts_of_credentials, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="outboxmessage",
            name="attempt",
            field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE,
                                    related_name="+", to="credential_app.attempt",
                                    verbose_name="attempt"),
        ),
        migrations.AlterField(
            model_name="outboxmessage",
            name="credential",
            field=models.ForeignKey(blank=True, help_text="Empty for an attempt event.",
                                    null=True, on_delete=django.db.models.deletion.CASCADE,
                                    related_name="+", to="credential_app.credential",
                                    verbose_name="credential"),
        ),
    ]
