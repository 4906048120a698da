"""JSON shapes of the API's data classes (read) and of the admin actions' input (write)."""
from django.utils.translation import gettext_lazy as _
from opaque_keys import InvalidKeyError
from opaque_keys.edx.keys import UsageKey
from rest_framework import serializers

from credential_app.core.policies import MAX_EXTRA_ATTEMPTS
from credential_app.core.reasons import MAX_REASON_LENGTH
from credential_app.data import AttemptStatus, CredentialStatus


class CredentialDefinitionSerializer(serializers.Serializer):
    slug = serializers.CharField()
    name = serializers.CharField()
    description = serializers.CharField()
    pass_percentage = serializers.IntegerField()
    version = serializers.IntegerField(allow_null=True)
    validity_days = serializers.IntegerField(allow_null=True, help_text="null: never expires.")


class CredentialSerializer(serializers.Serializer):
    """A credential as ``api.get_learner_credentials`` returns it; dates it has not got and
    reasons it was not given are null."""

    uuid = serializers.CharField()
    user_id = serializers.IntegerField()
    credential = serializers.CharField(source="definition.slug", help_text="Definition's slug.")
    name = serializers.CharField(source="definition.name")
    definition = CredentialDefinitionSerializer()
    status = serializers.ChoiceField(choices=[s.value for s in CredentialStatus])
    issued_at = serializers.DateTimeField()
    expires_at = serializers.DateTimeField(allow_null=True, help_text="null: never expires.")
    approved_at = serializers.DateTimeField(allow_null=True)
    ended_at = serializers.DateTimeField(allow_null=True,
                                         help_text="When it expired, was revoked or replaced.")
    revoked_reason = serializers.SerializerMethodField()
    superseded_by = serializers.SerializerMethodField(help_text="uuid of its replacement.")
    attempt_id = serializers.IntegerField()

    def get_revoked_reason(self, credential) -> str | None:
        return credential.revoked_reason or None

    def get_superseded_by(self, credential) -> str | None:
        return credential.superseded_by or None


class CriterionResultSerializer(serializers.Serializer):
    criterion = serializers.CharField()
    criterion_label = serializers.CharField()
    level = serializers.CharField()
    level_label = serializers.CharField()
    points = serializers.IntegerField()
    max_points = serializers.IntegerField()
    comment = serializers.CharField()


class AttemptResultSerializer(serializers.Serializer):
    score = serializers.IntegerField()
    max_score = serializers.IntegerField()
    percentage = serializers.DecimalField(max_digits=5, decimal_places=2)
    passed = serializers.BooleanField()
    criteria = CriterionResultSerializer(many=True)


class AttemptSerializer(serializers.Serializer):
    """One attempt with its evidence and, once assessed, its result."""

    id = serializers.IntegerField()
    user_id = serializers.IntegerField()
    usage_key = serializers.CharField()
    credential_slug = serializers.CharField()
    number = serializers.IntegerField()
    status = serializers.ChoiceField(choices=[s.value for s in AttemptStatus])
    submitted_at = serializers.DateTimeField()
    evidence_text = serializers.CharField()
    result = AttemptResultSerializer(allow_null=True)


class RetakeStatusSerializer(serializers.Serializer):
    may_start = serializers.BooleanField()
    reason = serializers.CharField(allow_null=True)
    attempts_used = serializers.IntegerField()
    attempts_allowed = serializers.IntegerField(allow_null=True)
    attempts_left = serializers.IntegerField(allow_null=True)
    opens_at = serializers.DateTimeField(allow_null=True)
    closes_at = serializers.DateTimeField(allow_null=True)


class ErrorSerializer(serializers.Serializer):
    """Every refusal: a message to show the person, and the input at fault if any."""

    error = serializers.CharField()
    field = serializers.CharField(allow_null=True)


# --- input of the admin actions ---

class ApproveSerializer(serializers.Serializer):
    reason = serializers.CharField(required=False, allow_blank=True, default="",
                                   max_length=MAX_REASON_LENGTH, trim_whitespace=True)


class ReasonRequiredSerializer(serializers.Serializer):
    reason = serializers.CharField(
        max_length=MAX_REASON_LENGTH, trim_whitespace=True,
        error_messages={"required": _("Give a reason; it is kept in the audit trail."),
                        "blank": _("Give a reason; it is kept in the audit trail.")},
    )


class RevokeSerializer(ReasonRequiredSerializer):
    pass


class UsageKeyField(serializers.CharField):
    """An assessment unit's usage key, parsed (400 naming the field when it is not one)."""

    def __init__(self, **kwargs):
        super().__init__(max_length=255, **kwargs)

    def to_internal_value(self, data):
        value = super().to_internal_value(data)
        try:
            return UsageKey.from_string(value)
        except InvalidKeyError as exc:
            raise serializers.ValidationError(
                _("“{value}” is not a usage key of an assessment unit.").format(value=value[:80])
            ) from exc


class RetakeQuerySerializer(serializers.Serializer):
    usage_key = UsageKeyField()
    credential = serializers.SlugField(required=False, max_length=100)


class ExtraAttemptsSerializer(ReasonRequiredSerializer):
    username = serializers.CharField(max_length=150)
    usage_key = UsageKeyField()
    count = serializers.IntegerField(
        min_value=1, max_value=MAX_EXTRA_ATTEMPTS,
        error_messages={"min_value": _("Grant at least one extra attempt."),
                        "max_value": _("Grant at most {max_value} extra attempts at once.")},
    )


# ---- HRIS people: a learner's consent to share with employers ---------------------------


class EmployerSharingSerializer(serializers.Serializer):
    """An employer (HRIS destination) that knows the learner by an employee id."""

    destination_id = serializers.IntegerField()
    name = serializers.CharField()
    sharing = serializers.BooleanField(help_text="Whether the learner shares their "
                                                 "credentials with this employer now.")


class SharingChoiceSerializer(serializers.Serializer):
    share = serializers.BooleanField(help_text="true: share my credentials with this "
                                               "employer; false: stop (cancels what was "
                                               "not yet delivered).")
