"""Which edx-submissions submission each attempt is, to the course."""
from django.db import models
from django.utils.translation import gettext_lazy as _

from credential_app.core.models import Attempt

__all__ = ["CourseSubmission"]


class CourseSubmission(models.Model):
    """The submission (edx-submissions) an attempt was handed in as; its scores are the
    learner's course score for the unit.

    .. pii: The learner's anonymous student id in edx-submissions; edx-submissions and the
      platform retire the submission itself.
    .. pii_types: id
    .. pii_retirement: retained
    """

    attempt = models.OneToOneField(Attempt, on_delete=models.CASCADE,
                                   related_name="course_submission")
    submission_uuid = models.UUIDField(unique=True, help_text=_("edx-submissions submission"))
    student_id = models.CharField(max_length=255,
                                  help_text=_("The learner's anonymous id in the course"))

    def __str__(self):
        return str(self.submission_uuid)
