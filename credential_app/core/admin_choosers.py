"""Searchable lists for the admin: people, attempts and units are chosen by name as one
types, never entered as user ids or usage keys.

A ``Chooser`` is a select the admin's own select2 (``admin/js/autocomplete.js``) fills from
``search`` below; the value it posts is still the id or usage key the model keeps. The
page only ever holds the chosen values, so a platform with a million learners costs no
more than one with three.
"""
from django import forms
from django.contrib.admin.widgets import AutocompleteMixin, get_select2_language
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.db.models import CharField, Q
from django.db.models.functions import Cast
from django.http import Http404, JsonResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from opaque_keys import InvalidKeyError
from opaque_keys.edx.keys import UsageKey

from credential_app.core.models import AssessmentUnit, Attempt
from credential_app.lib.people import name_and_username

PAGE_SIZE = 20
MAX_TERM = 100  # characters of a search term that are looked at

# Who may search each list: staff who may edit something that chooses from it.
PERMISSIONS = {
    "people": ("add_extraattemptgrant", "add_calibrationset", "change_calibrationset",
               "add_cohort", "change_cohort", "add_employermanager", "change_employermanager"),
    "units": ("add_extraattemptgrant", "add_retakepolicy", "change_retakepolicy",
              "add_credentialdefinition", "change_credentialdefinition"),
    "attempts": ("add_calibrationset", "change_calibrationset"),
}


def unit_label(unit) -> str:
    return _("{unit} ({course}), for {credential}").format(
        unit=unit.display_name or unit.usage_key, course=unit.course_key,
        credential=unit.definition.name)


def _units(term):
    found = AssessmentUnit.objects.select_related("definition").annotate(
        key=Cast("usage_key", CharField()), course=Cast("course_key", CharField()))
    if term:
        found = found.filter(Q(display_name__icontains=term) | Q(key__icontains=term)
                             | Q(course__icontains=term) | Q(definition__name__icontains=term))
    return found.order_by("display_name", "key"), (lambda unit: str(unit.usage_key)), unit_label


def _people(term):
    found = get_user_model().objects.filter(is_active=True)
    for word in term.split()[:4]:  # "lee learn" finds Lee Learner
        found = found.filter(Q(username__icontains=word) | Q(first_name__icontains=word)
                             | Q(last_name__icontains=word) | Q(email__iexact=word))
    return found.order_by("first_name", "last_name", "username"), (lambda u: str(u.pk)), \
        name_and_username


def _attempts(term):
    found = Attempt.objects.select_related("user", "definition")
    for word in term.split()[:4]:
        found = found.filter(Q(user__username__icontains=word)
                             | Q(user__first_name__icontains=word)
                             | Q(user__last_name__icontains=word)
                             | Q(definition__name__icontains=word))
    return found.order_by("-submitted_at", "-id"), (lambda a: str(a.pk)), attempt_label


def attempt_label(attempt) -> str:
    return _("{attempt} ({status}, {date})").format(
        attempt=attempt, status=attempt.get_status_display().lower(),
        date=attempt.submitted_at.date().isoformat())


LISTS = {"people": _people, "units": _units, "attempts": _attempts}


def search(request, kind):
    """One page of a list, as select2 asks for it: ``?term=…&page=…``."""
    if kind not in LISTS:
        raise Http404
    user = request.user
    if not user.is_superuser and not any(user.has_perm(f"credential_app.{perm}")
                                         for perm in PERMISSIONS[kind]):
        raise PermissionDenied
    term = request.GET.get("term", "").strip()[:MAX_TERM]
    try:
        page = max(int(request.GET.get("page") or 1), 1)
    except ValueError:
        page = 1
    rows, value, label = LISTS[kind](term)
    start = (page - 1) * PAGE_SIZE
    chunk = list(rows[start:start + PAGE_SIZE + 1])
    return JsonResponse({
        "results": [{"id": value(row), "text": label(row)} for row in chunk[:PAGE_SIZE]],
        "pagination": {"more": len(chunk) > PAGE_SIZE},
    })


def labels_of(kind, values) -> dict:
    """value → label of the values already chosen (shown before anyone searches)."""
    values = [v for v in values if v not in (None, "")]
    if not values:
        return {}
    if kind == "units":
        keys = [key for key in map(_key_or_none, values) if key is not None]
        found = AssessmentUnit.objects.select_related("definition").filter(usage_key__in=keys)
        return {str(unit.usage_key): unit_label(unit) for unit in found}
    ids = [int(v) for v in values if str(v).isdigit()]
    if kind == "people":
        return {str(u.pk): name_and_username(u)
                for u in get_user_model().objects.filter(pk__in=ids)}
    return {str(a.pk): attempt_label(a) for a in Attempt.objects.select_related(
        "user", "definition").filter(pk__in=ids)}


def _key_or_none(value):
    try:
        return UsageKey.from_string(str(value))
    except InvalidKeyError:  # a malformed key has no label; the form says what is wrong
        return None


class ChooserMixin:
    """A select the admin's select2 fills from ``search``; ``allow_other`` lets one type a
    value the list does not have (a remediation unit that is not an assessment)."""

    media = AutocompleteMixin.media  # jQuery, select2 and autocomplete.js, as the admin's

    def __init__(self, kind, *, allow_other=False, attrs=None):
        super().__init__(attrs=attrs)
        self.kind = kind
        self.allow_other = allow_other
        self.i18n_name = get_select2_language()

    def build_attrs(self, base_attrs, extra_attrs=None):
        attrs = super().build_attrs(base_attrs, extra_attrs=extra_attrs)
        attrs.update({
            "class": (attrs.get("class", "") + " admin-autocomplete").strip(),
            "data-ajax--cache": "true", "data-ajax--delay": 250, "data-ajax--type": "GET",
            "data-ajax--url": reverse("admin:credential_app_choose", args=[self.kind]),
            "data-theme": "admin-autocomplete",
            "data-allow-clear": "false" if self.is_required else "true",
            "data-placeholder": _("Type to search"),
            "lang": self.i18n_name,
        })
        if self.allow_other:
            attrs["data-tags"] = "true"
        return attrs

    def optgroups(self, name, value, attrs=None):
        chosen = [str(v) for v in value if v not in (None, "")]
        labels = labels_of(self.kind, chosen)
        options = []
        if not self.is_required and not self.allow_multiple_selected:
            options.append(self.create_option(name, "", "", False, 0))
        for index, item in enumerate(chosen, start=len(options)):
            options.append(self.create_option(name, item, labels.get(item, item), True, index))
        return [(None, options, 0)]


class Chooser(ChooserMixin, forms.Select):
    pass


class MultipleChooser(ChooserMixin, forms.SelectMultiple):
    pass
