"""The reports' own tables: cohorts of learners and what programmes cost."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.timezone import now
from django.utils.translation import gettext_lazy as _
from opaque_keys.edx.django.models import CourseKeyField

from credential_app.core.models import CredentialDefinition

__all__ = [
    "Cohort",
    "ProgrammeCost",
]


class Cohort(models.Model):
    """A named group of learners that admins manage (an intake, a client's staff, a class),
    used to narrow the reports to them.

    .. pii: Which learners (user ids) an admin put in a group; kept for the reports, the user
      rows being anonymised by the platform.
    .. pii_types: id
    .. pii_retirement: retained
    """

    name = models.CharField(_("name"), max_length=255, unique=True)
    description = models.TextField(_("description"), blank=True)
    members = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="+",
                                     verbose_name=_("learners"))
    created = models.DateTimeField(default=now, editable=False)

    class Meta:
        ordering = ["name"]
        verbose_name = _("cohort")

    def __str__(self):
        return self.name


class ProgrammeCost(models.Model):
    """What running a programme cost over a period: for a credential, a course, or both
    (a course's share of one credential). Reports divide it by the credentials issued
    in the period.

    .. no_pii: What a programme cost over a period.
    """

    definition = models.ForeignKey(CredentialDefinition, on_delete=models.CASCADE, null=True,
                                   blank=True, related_name="+",
                                   verbose_name=_("credential definition"))
    course_key = CourseKeyField(_("course"), max_length=255, blank=True, default="",
                                help_text=_("Course id (course-v1:Org+Course+Run); empty "
                                            "for every course of the credential."))
    period_start = models.DateField(_("from"))
    period_end = models.DateField(_("until"), help_text=_("Last day of the period, included."))
    amount = models.DecimalField(_("cost"), max_digits=14, decimal_places=2,
                                 validators=[MinValueValidator(0)])
    currency = models.CharField(_("currency"), max_length=3,
                                help_text=_("ISO 4217 code, e.g. EUR, USD, GBP."))
    note = models.CharField(_("note"), max_length=255, blank=True)

    class Meta:
        ordering = ["-period_start", "id"]
        verbose_name = _("programme cost")

    def __str__(self):
        return f"{self.amount} {self.currency} {self.period_start}–{self.period_end}"

    def clean(self):
        errors = {}
        if self.definition_id is None and not self.course_key:
            errors["definition"] = _("Choose a credential definition, a course, or both.")
        if self.period_start and self.period_end and self.period_end < self.period_start:
            errors["period_end"] = _("The period must end on or after the day it starts.")
        if self.currency and not (len(self.currency) == 3 and self.currency.isalpha()):
            errors["currency"] = _("Enter a three-letter ISO 4217 code such as EUR.")
        if errors:
            raise ValidationError(errors)
        self.currency = self.currency.upper()
