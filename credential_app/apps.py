"""App configuration, including its registration as an Open edX plugin."""
import os

from django.apps import AppConfig, apps
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

# The project and settings type names Open edX uses with edx-django-utils plugins.
LMS = "lms.djangoapp"
CMS = "cms.djangoapp"
COMMON = "common"
PRODUCTION = "production"


class CredentialAppConfig(AppConfig):
    """Credential engine; plugged into LMS and Studio through ``plugin_app``."""

    name = "credential_app"
    verbose_name = _("Assessed credentials")
    default_auto_field = "django.db.models.BigAutoField"

    plugin_app = {
        # The LMS only: every URL in urls.py starts with credential-app/ (mounted at the
        # root so that an operator can keep the root addresses of earlier versions:
        # LEGACY_ROOT_URLS). Studio serves none of the app's pages; it links to the LMS's
        # (lib/public_urls).
        "url_config": {
            LMS: {
                "namespace": "credential_app",
                "regex": r"^",
                "relative_path": "urls",
            },
        },
        "settings_config": {
            project: {
                COMMON: {"relative_path": "settings.common"},
                PRODUCTION: {"relative_path": "settings.production"},
            }
            for project in (LMS, CMS)
        },
    }

    def ready(self):
        if not apps.is_installed("submissions"):
            raise ImproperlyConfigured(
                "credential_app keeps learners' course scores in edx-submissions: add "
                "'submissions' to INSTALLED_APPS (the LMS and Studio have it already).")
        # Imports here, not at the top: modules that define models or connect receivers may
        # only be imported once Django's app registry is ready (Django's app-loading rule).
        from django.core import checks
        from django.db.backends.signals import connection_created
        from django.db.models.signals import m2m_changed, post_delete, post_migrate, pre_delete

        from credential_app.core import (
            audit_guard,
            events,
            queue_tally,
            record_changes,
            signals,
        )
        from credential_app.core.models import Attempt
        from credential_app.course_scores import handlers as course_score_handlers
        from credential_app.hris import handlers as hris_handlers
        from credential_app.hris.sweeper import InProcessSweeper
        from credential_app.lib import after_fork
        from credential_app.openbadges import signing_queue, status_list
        from credential_app.pathways import issuance as pathway_issuance
        from credential_app.pathways import versions as pathway_versions
        from credential_app.platform_hooks.remediation import connect_completion_signal
        from credential_app.platform_hooks.retirement import connect_platform_signal
        from credential_app.reports import summaries as report_summaries
        from credential_app.reports.models import Cohort

        # Workers forked from a process that loaded Django (gunicorn --preload, Celery
        # prefork) open their own connections and start their own threads.
        os.register_at_fork(after_in_child=after_fork.forget_parent_connections)
        os.register_at_fork(after_in_child=InProcessSweeper.forget_parent_thread)

        connect_platform_signal()  # only inside edx-platform; a no-op in the demo
        connect_completion_signal()  # only where edx-completion is installed (the LMS)

        connection_created.connect(audit_guard.on_connection_created,
                                   dispatch_uid="credential_app.audit_guard.switch")
        post_migrate.connect(audit_guard.on_post_migrate, sender=self,
                             dispatch_uid="credential_app.audit_guard.install")
        checks.register(audit_guard.check, checks.Tags.database)

        # HRIS: outbox rows are written inside the transaction that changes a credential.
        signals.credential_changing.connect(hris_handlers.write_outbox_rows,
                                            dispatch_uid="credential_app.hris.outbox")
        # Pathways: after the outbox, so a requirement's rows precede its pathway's.
        signals.credential_changing.connect(pathway_issuance.on_credential_changing,
                                            dispatch_uid="credential_app.pathways.issuance")
        # ... and a new version of a pathway's credential keeps its requirements.
        signals.definition_published.connect(pathway_versions.on_definition_published,
                                             dispatch_uid="credential_app.pathways.versions")
        signals.attempt_submitted.connect(hris_handlers.write_submission_rows,
                                          dispatch_uid="credential_app.hris.submitted")
        signals.attempt_assessed.connect(hris_handlers.write_result_rows,
                                         dispatch_uid="credential_app.hris.assessed")
        signals.attempt_submitted.connect(course_score_handlers.open_submission,
                                          dispatch_uid="credential_app.course_scores.submission")
        signals.counted_result_changing.connect(
            course_score_handlers.publish_counted_score,
            dispatch_uid="credential_app.course_scores.score")

        # The assessor queue's counts and the reports' summaries change with the records
        # they count, in the same transaction.
        signals.attempt_records_changing.connect(queue_tally.on_records_changing,
                                                 dispatch_uid="credential_app.queue.before")
        signals.attempt_records_changed.connect(queue_tally.on_records_changed,
                                                dispatch_uid="credential_app.queue.after")
        signals.attempt_records_changing.connect(report_summaries.on_records_changing,
                                                 dispatch_uid="credential_app.reports.before")
        signals.attempt_records_changed.connect(report_summaries.on_records_changed,
                                                dispatch_uid="credential_app.reports.after")
        pre_delete.connect(record_changes.on_attempt_deleting, sender=Attempt,
                           dispatch_uid="credential_app.records.attempt_deleting")
        post_delete.connect(record_changes.on_attempt_deleted, sender=Attempt,
                            dispatch_uid="credential_app.records.attempt_deleted")
        m2m_changed.connect(report_summaries.on_cohort_members_changed,
                            sender=Cohort.members.through,
                            dispatch_uid="credential_app.reports.cohort_members")
        pre_delete.connect(report_summaries.on_cohort_deleted, sender=Cohort,
                           dispatch_uid="credential_app.reports.cohort_deleted")

        # Open Badges: sign a badge once its credential is awarded; republish its status
        # list when one is revoked, suspended or reinstated (after commit).
        for signal in (signals.credential_issued, signals.credential_approved):
            signal.connect(signing_queue.on_credential_awarded,
                           dispatch_uid=f"credential_app.badge_store.sign.{events.signal_name(signal)}")
        for signal in (signals.credential_revoked, signals.credential_suspended,
                       signals.credential_reinstated):
            signal.connect(status_list.on_status_changed,
                           dispatch_uid=f"credential_app.status_list.{events.signal_name(signal)}")
