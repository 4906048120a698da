"""Validators of uploaded files, each refusing with a message that says the limit."""
from django.core.exceptions import ValidationError
from django.core.validators import FileExtensionValidator
from django.template.defaultfilters import filesizeformat
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext_lazy as _

MAX_BADGE_IMAGE_BYTES = 1024 * 1024


@deconstructible
class MaxFileSizeValidator:
    """Refuse files larger than ``limit`` bytes."""

    def __init__(self, limit):
        self.limit = limit

    def __call__(self, file):
        if file.size > self.limit:
            raise ValidationError(
                _("The file is %(size)s; the limit is %(limit)s."),
                params={"size": filesizeformat(file.size), "limit": filesizeformat(self.limit)},
                code="file_too_large")

    def __eq__(self, other):
        return isinstance(other, MaxFileSizeValidator) and other.limit == self.limit


# Badge images: raster formats every badge displayer shows (Pillow checks the content).
BADGE_IMAGE = [FileExtensionValidator(["png", "jpg", "jpeg"]),
               MaxFileSizeValidator(MAX_BADGE_IMAGE_BYTES)]
