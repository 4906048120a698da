"""Job roles, their tasks, and which credentials map to which task at which level.

Private to the app: use ``api`` from outside.
"""
from django.db import models
from django.utils.translation import gettext_lazy as _

from credential_app.core.models import CredentialDefinition

__all__ = ["JobRole", "JobTask", "TaskMapping", "CompetencyLevel"]


class CompetencyLevel(models.IntegerChoices):
    """How well a holder does a task, in words a hiring manager uses."""

    FOUNDATION = 1, _("Foundation: does it with guidance")
    PRACTITIONER = 2, _("Practitioner: does it on their own")
    ADVANCED = 3, _("Advanced: does it in unusual situations and guides others")
    EXPERT = 4, _("Expert: sets how it is done")


class FrameworkCode(models.Model):
    """A code in a public framework (ESCO, O*NET...) naming the same thing."""

    framework = models.CharField(_("framework"), max_length=100, blank=True,
                                 help_text=_("E.g. ESCO, O*NET-SOC, a national framework."))
    code = models.CharField(_("code"), max_length=100, blank=True,
                            help_text=_("Its code in that framework, e.g. 47-1011.00."))
    framework_url = models.URLField(_("framework page"), blank=True,
                                    help_text=_("Where the framework describes it."))

    class Meta:
        abstract = True


class JobRole(FrameworkCode):
    """A job role employers hire for, described in plain language.

    .. no_pii: A job role and its framework code.
    """

    name = models.CharField(_("name"), max_length=200, unique=True)
    description = models.TextField(_("what the role does"), blank=True, max_length=2000)

    class Meta:
        ordering = ["name"]
        verbose_name = _("job role")

    def __str__(self):
        return self.name


class JobTask(FrameworkCode):
    """One task of a role, as a plain-language statement ("Runs the daily safety briefing").

    .. no_pii: A task of a job role and its framework code.
    """

    role = models.ForeignKey(JobRole, on_delete=models.CASCADE, related_name="tasks",
                             verbose_name=_("job role"))
    statement = models.CharField(_("task"), max_length=300,
                                 help_text=_("What the person does, starting with a verb."))
    position = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["role__name", "position", "id"]
        constraints = [models.UniqueConstraint(fields=["role", "statement"],
                                               name="credential_job_task_once")]
        verbose_name = _("job task")

    def __str__(self):
        return f"{self.role.name}: {self.statement}"


class TaskMapping(models.Model):
    """A credential shows its holder can do a task, at a level.

    .. no_pii: Which credential maps to which job task.
    """

    definition = models.ForeignKey(CredentialDefinition, on_delete=models.CASCADE,
                                   related_name="task_mappings",
                                   verbose_name=_("credential"))
    task = models.ForeignKey(JobTask, on_delete=models.CASCADE, related_name="mappings",
                             verbose_name=_("job task"))
    level = models.PositiveSmallIntegerField(_("level"), choices=CompetencyLevel.choices,
                                             default=CompetencyLevel.PRACTITIONER)

    class Meta:
        ordering = ["task__role__name", "task__position", "task_id"]
        constraints = [models.UniqueConstraint(fields=["definition", "task"],
                                               name="credential_task_mapping_once")]
        verbose_name = _("job task mapping")

    def __str__(self):
        return f"{self.definition} → {self.task}"
