"""What a course author does in Studio: edit the unit, its evidence settings and its rubric.

``studio_view`` shows one form; ``studio_submit`` checks everything the author sent,
and either saves all of it (and tells the app about the unit) or saves nothing and
names the field at fault, so the author fixes that one thing and saves again.
"""
from django.utils.translation import gettext_noop as _  # translated by the runtime's i18n
from web_fragments.fragment import Fragment
from xblock.exceptions import InvalidScopeError

from credential_app import api
from credential_app.data import (
    MAX_FILES_PER_ATTEMPT,
    MAX_LINKS_PER_ATTEMPT,
    Rubric,
    RubricCriterion,
    RubricLevel,
)
from credential_xblock.handlers import (
    block_aware,
    error_response,
    json_post,
    json_response,
    translate,
)
from credential_xblock.identity import current_viewer
from credential_xblock.keys import in_a_course, usage_key_of
from credential_xblock.resources import render_template, static_text
from credential_xblock.sanitise import prompt_rules, sanitise_prompt

# File types an author may allow; the app checks an upload's content against its type.
SUPPORTED_FILE_TYPES = ("pdf", "png", "jpg", "jpeg", "gif", "docx", "xlsx", "pptx", "mp4",
                        "txt", "csv", "zip")
MAX_DISPLAY_NAME_LENGTH = 255
STUDIO_PERMISSIONS = "studio_user_permissions"
# The fields one save writes, all or none.
AUTHORED_FIELDS = (
    "display_name", "prompt", "credential", "weight", "require_id_verification", "rubric",
    "text_evidence", "min_evidence_length", "max_evidence_length",
    "file_evidence", "allowed_file_types", "max_file_size_mb", "max_files",
    "link_evidence", "max_links",
)


@block_aware
def course_author(viewer, block):
    """Course staff; in Studio, whoever the runtime says may edit this course.

    Studio's user service does not say who is staff, but it gives blocks a
    ``studio_user_permissions`` service that knows who may write to the course.
    """
    if viewer.is_staff:
        return True
    permissions = block.runtime.service(block, STUDIO_PERMISSIONS)
    return bool(viewer.is_signed_in and permissions is not None
                and permissions.can_write(usage_key_of(block).course_key))


def linked_credential(slug, credentials) -> dict:
    """Which offered credential the form selects for the unit's ``slug``, and why.

    A unit linked to a version since replaced selects the version in force (saving
    links it there); a slug the app does not know stays visible, to be changed.
    """
    offered = {d.slug for d in credentials}
    if not slug or slug in offered:
        return {"selected_credential": slug, "replaced_credential": "",
                "unknown_credential": ""}
    try:
        current = api.get_credential_definition(slug).slug
    except api.UnknownCredential:
        current = None
    if current in offered:
        return {"selected_credential": current, "replaced_credential": slug,
                "unknown_credential": ""}
    return {"selected_credential": slug, "replaced_credential": "", "unknown_credential": slug}


def unit_key(block):
    """The usage key learners meet the unit under: Studio's may name its draft branch."""
    usage_key = usage_key_of(block)
    if hasattr(usage_key, "for_branch"):
        usage_key = usage_key.for_branch(None).version_agnostic()
    return usage_key


class AuthoringRefused(Exception):
    """Author input that cannot be saved; ``message`` is marked with gettext_noop."""

    def __init__(self, message, field, **params):
        super().__init__(message)
        self.message, self.field, self.params = message, field, params


class AuthoringMixin:
    """``studio_view`` and its ``studio_submit`` handler."""

    def studio_view(self, context=None):
        """The author's form: unit, evidence settings, rubric editor."""
        if not in_a_course(self):
            return self.not_in_a_course_view()
        viewer = current_viewer(self)
        credentials = api.list_credential_definitions()
        html = render_template(
            "studio.html",
            {
                "block_id": str(usage_key_of(self)),
                "may_edit": course_author(viewer, self),
                "block": self,
                "credentials": credentials,
                **linked_credential(self.credential, credentials),
                "file_types": [(t, t in self.allowed_file_types) for t in SUPPORTED_FILE_TYPES],
                "other_file_types": [t for t in self.allowed_file_types
                                     if t not in SUPPORTED_FILE_TYPES],
                "weight": "" if self.weight is None else self.weight,
                "prompt_rules": prompt_rules(),
            },
            i18n_service=self.runtime.service(self, "i18n"),
        )
        fragment = Fragment(html)
        fragment.add_css(static_text("css/studio.css"))
        fragment.add_javascript(static_text("js/studio.js"))
        fragment.initialize_js("CredentialAssessmentStudio")
        return fragment

    @json_post(allow=course_author, refusal=_("Only the course team can edit this assessment."))
    def studio_submit(self, viewer, data):
        """Save every authored field at once, or none of them and say which field is wrong."""
        try:
            values = authored_values(data)
        except AuthoringRefused as exc:
            return error_response(self, 400, exc.message, field=exc.field, **exc.params)
        except api.InvalidRubric as exc:
            location = locate_rubric_error(data.get("rubric"))
            where = where_in_rubric(self, data.get("rubric"), location)
            return json_response({
                "error": translate(self, _("{where}: {problem}")).format(
                    where=where, problem=exc.message) if where else exc.message,
                "field": "rubric", "location": location, "rubric_field": exc.field},
                status=400)
        before = {name: (self.fields[name].is_set_on(self), getattr(self, name))
                  for name in AUTHORED_FIELDS}
        for name, value in values.items():
            setattr(self, name, value)
        try:
            # Saved before the app hears of it: where content is read-only (the LMS) the
            # save fails, and the app's record of the unit is left alone.
            self.save()
        except InvalidScopeError:
            self._restore(before)
            self._dirty_fields.clear()  # nothing to write: the runtime's own save must not try
            return error_response(self, 403, _("Course content can only be edited in Studio."))
        try:
            self.register_with_app()
        except BaseException:
            self._restore(before)
            self.save()
            raise
        message = _("Saved.")
        if values["prompt"] != (data.get("prompt") or "").strip():
            message = _("Saved. The prompt's HTML was tidied: anything a prompt may not "
                        "contain (scripts, event attributes, styles) was removed. Check it below.")
        return json_response({
            "message": translate(self, message),
            "prompt": self.prompt,
            "rubric": self.rubric,
            "max_score": self.max_score(),
        })


    def _restore(self, before):
        """Put the authored fields back as they were (``{name: (was_set, value)}``)."""
        for name, (was_set, value) in before.items():
            if was_set:
                setattr(self, name, value)
            else:
                delattr(self, name)

    def register_with_app(self):
        """Tell the app what this unit asks and which credential it leads to."""
        return api.register_assessment_unit(
            usage_key=unit_key(self), credential_slug=self.credential,
            display_name=self.display_name, rubric=Rubric.from_dict(self.rubric),
            evidence=self.evidence_settings(), grade_weight=self.weight)


# ---- checking what the author sent ----------------------------------------------

def authored_values(data) -> dict:
    """Every authored field's new value from the form; raises AuthoringRefused/InvalidRubric."""
    values = {
        "display_name": _text(data, "display_name", _("Give the unit a title."),
                              limit=MAX_DISPLAY_NAME_LENGTH),
        "prompt": sanitise_prompt(_string(data, "prompt")),
        "credential": _credential(data),
        "weight": _weight(data),
        "require_id_verification": _flag(data, "require_id_verification"),
        "text_evidence": _flag(data, "text_evidence"),
        "min_evidence_length": _whole(data, "min_evidence_length", minimum=0),
        "max_evidence_length": _whole(data, "max_evidence_length", minimum=1),
        "file_evidence": _flag(data, "file_evidence"),
        "allowed_file_types": _file_types(data),
        "max_file_size_mb": _whole(data, "max_file_size_mb", minimum=1),
        "max_files": _whole(data, "max_files", minimum=1),
        "link_evidence": _flag(data, "link_evidence"),
        "max_links": _whole(data, "max_links", minimum=1),
    }
    if not values["prompt"]:
        raise AuthoringRefused(_("Write the prompt: what the learner must do."), "prompt")
    ceiling = api.evidence_length_limit(values["max_evidence_length"])
    if values["max_evidence_length"] > ceiling:
        raise AuthoringRefused(
            _("The longest text allowed can be at most {limit} characters on this platform."),
            "max_evidence_length", limit=ceiling)
    if values["min_evidence_length"] > values["max_evidence_length"]:
        raise AuthoringRefused(
            _("The shortest text allowed ({minimum} characters) is longer than the longest "
              "({maximum}). Lower the minimum or raise the maximum."),
            "min_evidence_length",
            minimum=values["min_evidence_length"], maximum=values["max_evidence_length"])
    if not (values["text_evidence"] or values["file_evidence"] or values["link_evidence"]):
        raise AuthoringRefused(
            _("Ask for at least one kind of evidence: text, files or links."), "text_evidence")
    if values["file_evidence"] and not values["allowed_file_types"]:
        raise AuthoringRefused(_("Choose at least one file type learners may upload."),
                               "allowed_file_types")
    values["rubric"] = Rubric.from_dict(_plain_rubric(data.get("rubric"))).to_dict()
    return values


def _string(data, name):
    value = data.get(name, "")
    if not isinstance(value, str):
        raise AuthoringRefused(_("Send the field “{name}” as text."), name, name=name)
    return value.strip()


def _text(data, name, missing, limit):
    value = _string(data, name)
    if not value:
        raise AuthoringRefused(missing, name)
    if len(value) > limit:
        raise AuthoringRefused(_("Keep the title to {limit} characters or fewer."), name,
                               limit=limit)
    return value


def _credential(data):
    slug = _string(data, "credential")
    if not slug:
        raise AuthoringRefused(_("Choose the credential this unit leads to."), "credential")
    if slug not in {d.slug for d in api.list_credential_definitions()}:
        raise AuthoringRefused(
            _("No credential “{slug}” is defined. Choose one from the list, or ask an "
              "administrator to define it first."), "credential", slug=slug)
    return slug


def _weight(data):
    value = data.get("weight")
    if value is None or value == "":
        return None
    if isinstance(value, bool) or not isinstance(value, int | float) or value < 0:
        raise AuthoringRefused(
            _("The grading weight must be a number, zero or more (or empty for the rubric's "
              "total points)."), "weight")
    return float(value)


def _flag(data, name):
    value = data.get(name)
    if not isinstance(value, bool):
        raise AuthoringRefused(_("Send the field “{name}” as on or off."), name, name=name)
    return value


# Upper bounds of the counts an author sets (the app's limits; a page shows one field per
# link allowed, so a count must stay small).
MAXIMUMS = {"max_files": MAX_FILES_PER_ATTEMPT, "max_links": MAX_LINKS_PER_ATTEMPT}


def _whole(data, name, minimum):
    value = data.get(name)
    if isinstance(value, int) and not isinstance(value, bool) and value > MAXIMUMS.get(
            name, value):
        raise AuthoringRefused({
            "max_files": _("A unit may take at most {limit} files."),
            "max_links": _("A unit may take at most {limit} links."),
        }[name], name, limit=MAXIMUMS[name])
    if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
        message = {
            "min_evidence_length": _("The shortest text allowed must be a whole number of "
                                     "characters, 0 or more."),
            "max_evidence_length": _("The longest text allowed must be a whole number of "
                                     "characters, 1 or more."),
            "max_file_size_mb": _("The largest file must be a whole number of megabytes, "
                                  "1 or more."),
            "max_files": _("The number of files must be a whole number, 1 or more."),
            "max_links": _("The number of links must be a whole number, 1 or more."),
        }[name]
        raise AuthoringRefused(message, name)
    return value


def _file_types(data):
    value = data.get("allowed_file_types")
    if not isinstance(value, list) or not all(isinstance(t, str) for t in value):
        raise AuthoringRefused(_("Send the allowed file types as a list."),
                               "allowed_file_types")
    chosen = [t.strip().lower().lstrip(".") for t in value]
    unknown = [t for t in chosen if t not in SUPPORTED_FILE_TYPES]
    if unknown:
        raise AuthoringRefused(_("“{kind}” is not a file type this assessment can check. "
                                 "Choose from the list."), "allowed_file_types", kind=unknown[0])
    return [t for t in SUPPORTED_FILE_TYPES if t in chosen]


def _plain_rubric(value):
    """The rubric's known keys with text trimmed; shapes are left for Rubric to judge."""
    if not isinstance(value, dict) or not isinstance(value.get("criteria"), list):
        return value
    return {"criteria": [_plain_criterion(c) for c in value["criteria"]]}


def _plain_criterion(criterion):
    if not isinstance(criterion, dict):
        return criterion
    plain = _plain_item(criterion, ("name", "label", "description", "minimum_level"))
    levels = criterion.get("levels")
    if isinstance(levels, list):
        plain["levels"] = [_plain_item(level, ("name", "label", "description", "points"))
                           for level in levels]
    elif levels is not None:
        plain["levels"] = levels
    return plain


def _plain_item(item, keys):
    if not isinstance(item, dict):
        return item
    return {key: item[key].strip() if isinstance(item[key], str) else item[key]
            for key in keys if key in item}


def where_in_rubric(block, value, location) -> str:
    """Where a problem is, as the author sees the rubric: "Criterion 3 “Teamwork” (name
    “teamwork”), level 2 “Together” (name “together”)" for ``criteria.2.levels.1``, with
    the name (slug) the message itself may use; "" when there is no such place."""
    parts = (location or "").split(".")
    try:
        criterion = _plain_rubric(value)["criteria"][int(parts[1])]
        where = _place(block, _("Criterion {number} “{label}” (name “{name}”)"),
                       _("Criterion {number} (name “{name}”)"), int(parts[1]), criterion)
        if len(parts) >= 4:
            where = _place(block, _("{criterion}, level {number} “{label}” (name “{name}”)"),
                           _("{criterion}, level {number} (name “{name}”)"), int(parts[3]),
                           criterion["levels"][int(parts[3])], criterion=where)
    except (IndexError, KeyError, TypeError, ValueError, AttributeError):
        return ""
    return where


def _place(block, labelled, unlabelled, index, item, **more):
    label = item.get("label") if isinstance(item.get("label"), str) else ""
    return translate(block, labelled if label.strip() else unlabelled).format(
        number=index + 1, label=label.strip()[:80], name=str(item.get("name", ""))[:80], **more)


def locate_rubric_error(value):
    """Where in the author's rubric the first problem is: ``criteria.2.levels.0``, or None.

    Builds each level and criterion on its own, in order, with the same data classes
    the whole rubric is checked with, so the place matches the message.
    """
    plain = _plain_rubric(value)
    if not isinstance(plain, dict) or not isinstance(plain.get("criteria"), list):
        return None
    for i, criterion in enumerate(plain["criteria"]):
        try:
            levels = tuple(
                _level_at(f"criteria.{i}.levels.{j}", level)
                for j, level in enumerate(criterion.get("levels", []))
            )
            RubricCriterion(name=criterion["name"], label=criterion.get("label", ""),
                            levels=levels, minimum_level=criterion.get("minimum_level") or "")
        except _Located as located:
            return located.path
        except (api.InvalidRubric, KeyError, TypeError, AttributeError):
            return f"criteria.{i}"
    names = [criterion["name"] for criterion in plain["criteria"]]
    repeated = [i for i, name in enumerate(names) if name in names[:i]]
    return f"criteria.{repeated[0]}" if repeated else None


class _Located(Exception):
    def __init__(self, path):
        super().__init__(path)
        self.path = path


def _level_at(path, level):
    try:
        return RubricLevel(name=level["name"], label=level.get("label", ""),
                           points=level["points"])
    except (api.InvalidRubric, KeyError, TypeError, AttributeError) as exc:
        raise _Located(path) from exc
