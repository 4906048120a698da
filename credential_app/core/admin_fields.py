"""Admin form fields that speak the admin's language: a wait in days and hours (not
"1 00:00:00"), and a level per criterion chosen from the rubric's own levels (not JSON)."""
from datetime import timedelta
from decimal import Decimal

from django import forms
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from credential_app.core.models import AssessmentUnit
from credential_app.data import Rubric

MAX_DAYS = 3650
SECONDS_PER_HOUR = 3600


class DaysAndHoursWidget(forms.MultiWidget):
    """Two number boxes, each with its own visible label ("days", "hours")."""

    units = (gettext_lazy("days"), gettext_lazy("hours"))

    def __init__(self, attrs=None):
        super().__init__((forms.NumberInput(attrs={"min": 0, "max": MAX_DAYS, "step": 1,
                                                   "class": "ca-days", "style": "width:5em"}),
                          forms.NumberInput(attrs={"min": 0, "max": 23.99, "step": "any",
                                                   "class": "ca-hours", "style": "width:5em"})),
                         attrs)

    def decompress(self, value):
        if value is None:
            return [None, None]
        if isinstance(value, str):  # an unchanged value shown again after an error
            return [value, None]
        seconds = Decimal(value.total_seconds()) - value.days * 86400
        return [value.days, (seconds / SECONDS_PER_HOUR).quantize(Decimal("0.01")).normalize()]

    def render(self, name, value, attrs=None, renderer=None):
        values = value if isinstance(value, list | tuple) else self.decompress(value)
        base = {**self.attrs, **(attrs or {})}
        boxes = []
        for index, (widget, unit) in enumerate(zip(self.widgets, self.units, strict=True)):
            box_attrs = {**base, "id": f"{base['id']}_{index}"} if base.get("id") else base
            boxes.append((widget.render(f"{name}_{index}", values[index], box_attrs, renderer),
                          box_attrs.get("id", ""), unit))
        # Inline styles: the admin's own CSS would make each unit a 160-pixel block label.
        return format_html(
            '<span class="ca-duration" style="display:inline-flex;gap:.25em;'
            'align-items:center">{}</span>', format_html_join(
                " ", '{} <label for="{}" class="ca-duration-unit" style="display:inline;'
                'width:auto;min-width:0;padding:0 .75em 0 0;float:none">{}</label>', boxes))


class DaysAndHoursField(forms.MultiValueField):
    """A wait: whole days and hours (decimals allowed: 1.5 hours); both empty is no wait."""

    widget = DaysAndHoursWidget

    def __init__(self, **kwargs):
        for ignored in ("max_length", "encoder", "decoder"):
            kwargs.pop(ignored, None)
        fields = (
            forms.IntegerField(min_value=0, max_value=MAX_DAYS, error_messages={
                "min_value": _("Days cannot be negative."),
                "max_value": _("At most %(limit_value)s days.")}),
            forms.DecimalField(min_value=0, max_value=Decimal("23.99"), decimal_places=2,
                               error_messages={
                                   "min_value": _("Hours cannot be negative."),
                                   "max_value": _("Under 24 hours: give whole days as days.")}),
        )
        kwargs["required"] = False  # both boxes empty: no wait
        super().__init__(fields=fields, require_all_fields=False, **kwargs)
        for field in self.fields:
            field.required = False

    def compress(self, data_list):
        days, hours = (list(data_list) + [None, None])[:2]
        return timedelta(days=days or 0, hours=float(hours or 0))

    def has_changed(self, initial, data):
        try:
            now = self.clean(data)
        except forms.ValidationError:
            return True
        return now != (initial or timedelta(0))


# --- a level per criterion ---------------------------------------------------------

def rubric_criteria(definition_id) -> list[dict]:
    """Criteria of the definition's registered units, merged by name: ``{"name", "label",
    "levels": [(name, label, points)]}`` in rubric order, levels by points."""
    merged = {}
    for rubric in AssessmentUnit.objects.filter(definition_id=definition_id).order_by(
            "pk").values_list("rubric", flat=True):
        for criterion in Rubric.from_dict(rubric).criteria:
            entry = merged.setdefault(criterion.name, {"name": criterion.name,
                                                       "label": criterion.label,
                                                       "levels": {}})
            for level in criterion.levels:
                entry["levels"].setdefault(level.name, (level.name, level.label, level.points))
    return [{**entry, "levels": sorted(entry["levels"].values(), key=lambda lv: lv[2])}
            for entry in merged.values()]


class LevelPerCriterionWidget(forms.Widget):
    """One labelled choice per criterion of the rubric: none, or one of its levels."""

    def __init__(self, criteria=(), attrs=None, group_label="", none_label="", empty_text=""):
        super().__init__(attrs)
        self.criteria = list(criteria)
        self.group_label = group_label  # names the group: each choice is named by its criterion
        self.none_label = none_label  # the choice of no level
        self.empty_text = empty_text  # said instead when there is no rubric to choose from

    def _rows(self, value):
        rows = [dict(c) for c in self.criteria]
        known = {c["name"] for c in rows}
        for name, level in sorted((value or {}).items()):  # kept so nothing vanishes unseen
            if name not in known:
                rows.append({"name": name, "label": name, "levels": [
                    (level, _("{level} (in no registered rubric)").format(level=level), None)]})
        return rows

    def render(self, name, value, attrs=None, renderer=None):
        value = value if isinstance(value, dict) else {}
        base_id = (attrs or {}).get("id") or f"id_{name}"
        if not self.criteria and not value:
            return format_html('<p class="ca-minimums-empty" id="{}">{}</p>', base_id,
                               self.empty_text)
        lines = []
        for index, row in enumerate(self._rows(value)):
            field_id = f"{base_id}_{index}"
            options = [("", self.none_label, "")]
            for level, label, points in row["levels"]:
                text = label if points is None else ngettext(
                    "{label} ({points} point)", "{label} ({points} points)", points).format(
                        label=label, points=points)
                options.append((level, text, "selected" if value.get(row["name"]) == level
                                else ""))
            lines.append((field_id, row["label"], field_id, f"{name}__{row['name']}",
                          format_html_join("", '<option value="{}" {}>{}</option>',
                                           ((v, flag, text) for v, text, flag in options))))
        return format_html('<div class="ca-minimums" id="{}" role="group" aria-label="{}">{}</div>',
                           base_id, self.group_label,
                           format_html_join("", '<div class="ca-minimum"><label for="{}">{}'
                                                '</label> <select id="{}" name="{}">{}</select>'
                                                '</div>', lines))

    def value_from_datadict(self, data, files, name):
        prefix = f"{name}__"
        return {key[len(prefix):]: level for key, level in data.items()
                if key.startswith(prefix) and level}

    def value_omitted_from_data(self, data, files, name):
        return False  # every choice left at "no minimum" is a real answer: {}

    def id_for_label(self, id_):
        return ""  # the field's label names the group; each criterion labels its own choice


class LevelPerCriterionField(forms.Field):
    """``{criterion name: level name}`` chosen from the registered rubrics' levels (a
    minimum per criterion, the agreed level of a calibration attempt)."""

    def __init__(self, criteria=(), *, none_label, empty_text, **kwargs):
        for ignored in ("max_length", "encoder", "decoder"):
            kwargs.pop(ignored, None)
        kwargs["widget"] = LevelPerCriterionWidget(
            criteria, group_label=kwargs.get("label", ""), none_label=none_label,
            empty_text=empty_text)
        kwargs["required"] = False
        super().__init__(**kwargs)

    def to_python(self, value):
        return dict(value) if isinstance(value, dict) else {}

    def prepare_value(self, value):
        return value if isinstance(value, dict) else {}

    def has_changed(self, initial, data):
        return self.to_python(initial) != self.to_python(data)
