"""The field checks of the core's records, run by ``clean()`` (the admin and any ModelForm
show each message next to the field at fault).

They read only the record handed to them (and, where a rule needs it, other rows through
the app registry), so ``models`` can call them without importing any service module.
"""
from __future__ import annotations

from datetime import timedelta

from django.apps import apps
from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.utils.timezone import now
from django.utils.translation import gettext as _

from credential_app.core.scoring import score_against
from credential_app.data import CriterionScore, Rubric
from credential_app.exceptions import InvalidAssessment, InvalidRubric

KEEP = "keep"  # what a new version means for holders of the previous one (``versions``)
BRIDGE = "bridge"
MAX_REQUIRED_ASSESSMENTS = 10


# --- Definitions and versions ------------------------------------------------------------

def check_definition(definition):
    """Raise ValidationError naming the field when values do not fit together."""
    errors = {}
    previous = definition.previous_version
    if previous is not None:
        if definition.pk is not None and previous.pk == definition.pk:
            errors["previous_version"] = _("A definition cannot be its own previous version.")
        else:
            definition.version = previous.version + 1
    elif definition.old_holders == BRIDGE:
        errors["old_holders"] = _("“Bridge” needs a previous version whose holders bridge.")
    if definition.old_holders == BRIDGE and not definition.bridging_days:
        errors["bridging_days"] = _("Say how many days holders of the previous version have "
                                    "to pass this one.")
    if (definition.validity_days and definition.renewal_window_days
            and definition.renewal_window_days >= definition.validity_days):
        errors["renewal_window_days"] = _("The renewal window must be shorter than the "
                                          "validity period ({days} days).").format(
                                              days=definition.validity_days)
    if errors:
        raise ValidationError(errors)


# --- Issuance and retake policies ---------------------------------------------------------

def _label(record, name):
    return str(record._meta.get_field(name).verbose_name).capitalize()


def issuance_policy_errors(policy) -> dict[str, list[str]]:
    """Each bad value of an issuance policy, keyed by field, with a message naming it."""
    errors: dict[str, list[str]] = {}

    def add(name, message):
        errors.setdefault(name, []).append(message)

    if policy.minimum_percentage is not None and not 0 <= policy.minimum_percentage <= 100:
        add("minimum_percentage", _("{field} must be between 0 and 100; {value} is not.").format(
            field=_label(policy, "minimum_percentage"), value=policy.minimum_percentage))
    if policy.max_disagreement is not None and not 0 <= policy.max_disagreement <= 100:
        add("max_disagreement", _("{field} must be between 0 and 100 percentage points; "
                                  "{value} is not.").format(
            field=_label(policy, "max_disagreement"), value=policy.max_disagreement))
    if not 1 <= (policy.required_assessments or 0) <= MAX_REQUIRED_ASSESSMENTS:
        add("required_assessments", _("{field} must be between 1 and {limit}.").format(
            field=_label(policy, "required_assessments"),
            limit=MAX_REQUIRED_ASSESSMENTS))
    for message in _criterion_minimum_errors(policy):
        add("criterion_minimums", message)
    return errors


def _criterion_minimum_errors(policy) -> list[str]:
    """Every per-criterion minimum must name a level some registered unit's rubric has."""
    minimums = policy.criterion_minimums
    label = _label(policy, "criterion_minimums")
    if minimums in (None, ""):
        return []
    if not isinstance(minimums, dict) or not all(
            isinstance(k, str) and isinstance(v, str) and v for k, v in minimums.items()):
        return [_('{field} must map criterion names to level names, e.g. '
                  '{{"hazards": "partial"}}.').format(field=label)]
    rubrics = [Rubric.from_dict(unit.rubric)
               for unit in apps.get_model("credential_app", "AssessmentUnit").objects.filter(
                   definition_id=policy.definition_id)]
    messages = []
    for criterion_name, level_name in sorted(minimums.items()):
        known = any(
            (criterion := rubric.criterion(criterion_name)) is not None
            and criterion.level(level_name) is not None
            for rubric in rubrics
        )
        if not known:
            messages.append(_("{field}: no registered unit's rubric has a level “{level}” in a "
                              "criterion “{criterion}”.").format(
                field=label, level=level_name, criterion=criterion_name))
    return messages


def retake_policy_errors(policy, *, is_new: bool) -> dict[str, list[str]]:
    """Each bad value of a retake policy, keyed by field, with a message naming it."""
    errors: dict[str, list[str]] = {}
    for name in ("delay_after_first_failure", "delay_after_later_failures"):
        value = getattr(policy, name)
        if value is not None and value < timedelta(0):
            errors[name] = [_("{field} cannot be negative.").format(
                field=_label(policy, name))]
    if policy.max_attempts is not None and policy.max_attempts < 1:
        errors["max_attempts"] = [_("{field} must be at least 1; leave it empty for unlimited "
                                    "attempts.").format(field=_label(policy, "max_attempts"))]
    if is_new and policy.closes_at is not None and policy.closes_at <= now():
        errors["closes_at"] = [_("{field} is in the past; choose a later date or leave it "
                                 "empty.").format(field=_label(policy, "closes_at"))]
    return errors


# --- Calibration ------------------------------------------------------------------------

def agreed_level_errors(item) -> list[str]:
    """What is wrong with an item's agreed levels, checked against its attempt's rubric."""
    if item.attempt_id is None:
        return []
    try:  # the admin's inline gives the (maybe unsaved) set itself
        calibration_set = item.calibration_set
    except ObjectDoesNotExist:
        calibration_set = None
    if calibration_set is not None and item.attempt.definition_id != (
            calibration_set.definition_id):
        return [_("The attempt is not for this set's credential.")]
    levels = item.agreed_levels
    if not isinstance(levels, dict):
        return [_('Enter the agreed levels as {"criterion": "level", …}.')]
    try:
        score_against(Rubric.from_dict(item.attempt.rubric),
                      [CriterionScore(criterion=str(c), level=str(v), comment="")
                       for c, v in levels.items()])
    except (InvalidAssessment, InvalidRubric) as exc:
        return [str(exc)]
    return []
