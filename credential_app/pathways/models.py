"""The pathways' tables: which definitions are pathways and what each requires.

Private to the app: use ``api`` from outside.
"""
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from credential_app.core.models import CredentialDefinition
from credential_app.pathways import record_checks

__all__ = ["Pathway", "PathwayRequirement", "WhenRequirementLost"]


class WhenRequirementLost(models.TextChoices):
    """What happens to a learner's pathway credential when a credential it requires is
    revoked or expires and the pathway is no longer satisfied."""

    KEEP = "keep", _("Keep: the pathway credential stays valid")
    SUSPEND = "suspend", _("Suspend: not valid until the learner holds the requirements "
                           "again, then the same credential is reinstated")
    REVOKE = "revoke", _("Revoke: the learner must complete the pathway again")


class Pathway(models.Model):
    """A credential definition earned by holding other credentials rather than by assessment.

    .. no_pii: Which credentials a pathway requires and what losing one means.
    """

    definition = models.OneToOneField(
        CredentialDefinition, on_delete=models.CASCADE, related_name="pathway",
        verbose_name=_("pathway credential"),
        help_text=_("The credential learners earn by completing the pathway. It is issued "
                    "under its own issuance policy (approval too) and has no assessment "
                    "units of its own."))
    required_count = models.PositiveSmallIntegerField(
        _("how many are required"), null=True, blank=True,
        validators=[MinValueValidator(1)],
        help_text=_("How many of the listed credentials a learner must hold. Empty: all "
                    "of them."))
    when_requirement_lost = models.CharField(
        _("when a requirement is lost"), max_length=10, choices=WhenRequirementLost.choices,
        default=WhenRequirementLost.REVOKE,
        help_text=_("What happens to a learner's pathway credential when a credential it "
                    "requires is revoked or expires and the pathway is no longer "
                    "complete."))

    class Meta:
        verbose_name = _("pathway")

    def __str__(self):
        return str(self.definition)

    def needed(self, requirement_count: int) -> int:
        """How many requirements make the pathway complete."""
        return min(self.required_count or requirement_count, requirement_count)

    def clean(self):
        errors = record_checks.pathway_errors(self)
        if errors:
            raise ValidationError(errors)


class PathwayRequirement(models.Model):
    """One credential a pathway requires, optionally at a minimum version.

    A learner meets it while they hold an active credential of that definition's family
    (any version from ``minimum_version`` on): expired, revoked, superseded or pending
    credentials do not count.

    .. no_pii: A credential a pathway requires.
    """

    pathway = models.ForeignKey(Pathway, on_delete=models.CASCADE,
                                related_name="requirements")
    definition = models.ForeignKey(
        CredentialDefinition, on_delete=models.PROTECT, related_name="required_by",
        verbose_name=_("required credential"),
        help_text=_("A credential the learner must hold; any version of it counts unless a "
                    "minimum version is set."))
    family = models.ForeignKey(CredentialDefinition, on_delete=models.PROTECT, null=True,
                               editable=False, related_name="+",
                               help_text=_("First version of the required definition."))
    minimum_version = models.PositiveIntegerField(
        _("minimum version"), null=True, blank=True, validators=[MinValueValidator(1)],
        help_text=_("Only credentials of this version or later count. Empty: any version."))
    position = models.PositiveSmallIntegerField(
        _("order"), default=0, help_text=_("Where the unit appears in the pathway; learners "
                                           "are pointed to the first one they lack."))

    class Meta:
        ordering = ["position", "id"]
        constraints = [models.UniqueConstraint(fields=["pathway", "definition"],
                                               name="credential_pathway_requirement_once")]
        verbose_name = _("required credential")

    def __str__(self):
        return str(self.definition)

    def clean(self):
        errors = record_checks.requirement_errors(self)
        if errors:
            raise ValidationError(errors)

    def save(self, *args, **kwargs):
        """Credentials name their family (first version); so does a requirement, so the
        pathways a credential counts towards are found with one indexed query."""
        self.family_id = self.definition.family_root().pk
        super().save(*args, **kwargs)
