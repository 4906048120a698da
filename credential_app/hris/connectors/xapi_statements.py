"""xAPI statements for credential and attempt events: what a Learning Record Store is told.

One outbox record becomes one statement (two for a revocation). The vocabulary is the
established one where it exists, as Open edX's event-routing-backends uses it:

============================  =========================================================
event                         statement
============================  =========================================================
attempt submitted             ADL ``attempted`` the unit (ADL activity type ``assessment``)
attempt assessed              ADL ``passed`` / ``failed`` the unit, with ``result``: score
                              (scaled, raw, min, max), success, completion, and the level
                              and points per criterion (extension ``criteria``)
credential issued / renewed   ``earned`` (http://id.tincanapi.com/verb/earned) the
                              achievement (Activity Streams activity type ``badge``); a
                              renewal names the credential it renews (extension ``renews``)
credential revoked            ADL ``voided`` the earned statement, then ``revoked``
credential expired            ``expired``
credential suspended          ``suspended`` (a pathway credential whose requirements are
                              no longer held)
credential reinstated         ``reinstated`` (the same credential, valid again)
============================  =========================================================

``revoked``, ``expired``, ``suspended``, ``reinstated`` and the extensions have no
established term; ours live under
``{site}/xapi/terms/`` (``terms``). Activities are named as event-routing-backends names
them: a unit ``{site}/xblock/{usage key}``, a course ``{site}/course/{course key}``; the
achievement by its Open Badges 3.0 id, so xAPI and badge data join. The attempt number is
the ``attempt-id`` extension event-routing-backends uses.

Each statement's id is a UUID 5 of the site, the destination and the event's key
(``payloads``' ``event_key``), and its timestamp is the event's own time, so delivering a
record again (a retry, a re-drive, a learner sharing again) sends the same statement and a
conformant LRS keeps one. Nothing here touches the database.
"""
import uuid

from django.conf import settings
from django.utils.translation import to_locale

from credential_app.lib import public_urls

#: Fixed namespace of this product's statement ids (a UUID 5 of its own name).
STATEMENT_NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "openedx-assessed-credentials/xapi")

ADL = "http://adlnet.gov/expapi"
VERB_ATTEMPTED = f"{ADL}/verbs/attempted"
VERB_PASSED = f"{ADL}/verbs/passed"
VERB_FAILED = f"{ADL}/verbs/failed"
VERB_VOIDED = f"{ADL}/verbs/voided"
VERB_EARNED = "http://id.tincanapi.com/verb/earned"
ACTIVITY_ASSESSMENT = f"{ADL}/activities/assessment"
ACTIVITY_COURSE = f"{ADL}/activities/course"
ACTIVITY_BADGE = "http://activitystrea.ms/schema/1.0/badge"
EXTENSION_ATTEMPT = "http://id.tincanapi.com/extension/attempt-id"

SUPPORTED_VERSIONS = ("1.0.3", "2.0.0")


def terms() -> str:
    """Where our own verbs and extensions live: under this site's address."""
    return f"{public_urls.base_url()}/xapi/terms"


def verb_revoked():
    return f"{terms()}/verbs/revoked"


def verb_expired():
    return f"{terms()}/verbs/expired"


def verb_suspended():
    return f"{terms()}/verbs/suspended"


def verb_reinstated():
    return f"{terms()}/verbs/reinstated"


def extension(name):
    return f"{terms()}/extensions/{name}"


class MissingIdentity(ValueError):
    """The learner cannot be named as the destination asks (no email address for mbox)."""


def statement_id(destination_id, event_key: str) -> str:
    return str(uuid.uuid5(STATEMENT_NAMESPACE,
                          f"{public_urls.base_url()}|{destination_id}|{event_key}"))


def language() -> str:
    """The site's language as an RFC 5646 tag (``en-US``), for language maps."""
    return to_locale(settings.LANGUAGE_CODE).replace("_", "-")


def text(value: str) -> dict:
    return {language(): value}


def verb(iri: str, display: str) -> dict:
    return {"id": iri, "display": {"en-US": display}}


def actor(record, *, identify_by: str, home_page: str = "") -> dict:
    """The learner as the employer knows them: their employee id as an account on the
    employer's home page, or (``mbox``) their email address."""
    if identify_by == "mbox":
        mbox = record.payload.get("learner_mbox")
        if not mbox:
            raise MissingIdentity("The learner has no email address to name them by (mbox).")
        return {"objectType": "Agent", "mbox": mbox}
    if not record.employee_id:
        raise MissingIdentity("The record names no employee id.")
    return {"objectType": "Agent", "account": {"homePage": home_page,
                                               "name": record.employee_id}}


def unit_activity(attempt: dict) -> dict:
    unit = attempt["unit"]
    definition = {"type": ACTIVITY_ASSESSMENT}
    if unit.get("name"):
        definition["name"] = text(unit["name"])
    return {"objectType": "Activity",
            "id": f"{public_urls.base_url()}/xblock/{unit['usage_key']}",
            "definition": definition}


def course_activity(attempt: dict) -> dict:
    return {"objectType": "Activity",
            "id": f"{public_urls.base_url()}/course/{attempt['course_key']}",
            "definition": {"type": ACTIVITY_COURSE}}


def achievement_activity(attempt: dict, credential: dict | None = None) -> dict:
    achievement = attempt["achievement"]
    definition = {"type": ACTIVITY_BADGE, "name": text(achievement["name"])}
    description = ((credential or {}).get("achievement") or {}).get("description")
    if description:
        definition["description"] = text(description)
    return {"objectType": "Activity", "id": achievement["id"], "definition": definition}


def badge_page(credential_urn: str) -> str:
    """The public page of a credential named ``urn:uuid:…``."""
    return public_urls.reverse_absolute("badge_page", uuid=credential_urn.rsplit(":", 1)[1])


def statements(record, *, destination_id, version: str, identify_by: str,
               home_page: str = "") -> list[dict]:
    """The statements of one outbox record, in the order they must be stored."""
    payload = record.payload
    attempt = payload["attempt"]
    who = actor(record, identify_by=identify_by, home_page=home_page)

    def statement(key, verb_value, obj, timestamp, *, result=None, context=None):
        body = {"id": statement_id(destination_id, key), "actor": who, "verb": verb_value,
                "object": obj, "timestamp": timestamp or _iso(record.occurred_at),
                "version": version}
        if result:
            body["result"] = result
        if context:
            body["context"] = context
        return body

    key = payload["event_key"]
    event = record.event_type
    if event == "attempt.submitted":
        return [statement(key, verb(VERB_ATTEMPTED, "attempted"), unit_activity(attempt),
                          attempt["submitted_at"], context=attempt_context(attempt))]
    if event == "attempt.assessed":
        outcome = attempt["result"]
        chosen = (verb(VERB_PASSED, "passed") if outcome["passed"]
                  else verb(VERB_FAILED, "failed"))
        return [statement(key, chosen, unit_activity(attempt), outcome["assessed_at"],
                          result=assessed_result(outcome), context=attempt_context(attempt))]
    credential = payload["credential"]
    earned_by = {**attempt_context(attempt),
                 "contextActivities": {"parent": [course_activity(attempt)],
                                       "other": [unit_activity(attempt)]}}
    about = {"extensions": {extension("credential"): badge_page(credential["id"]),
                            **({extension("expires"): credential["expires_at"]}
                               if credential.get("expires_at") else {})}}
    achievement = achievement_activity(attempt, credential)
    if event in ("credential.issued", "credential.renewed"):
        context = earned_by
        if payload.get("replaces"):
            context = {**context, "extensions": {**context["extensions"],
                                                 extension("renews"):
                                                     badge_page(payload["replaces"])}}
        return [statement(key, verb(VERB_EARNED, "earned"), achievement,
                          credential.get("issued_at"),
                          result={"completion": True, "success": True, **about},
                          context=context)]
    ended = credential.get("ended_at")
    if event == "credential.revoked":
        earned_key = key.rsplit(":", 1)[0] + ":earned"
        voiding = statement(key.rsplit(":", 1)[0] + ":voided", verb(VERB_VOIDED, "voided"),
                            {"objectType": "StatementRef",
                             "id": statement_id(destination_id, earned_key)}, ended)
        return [voiding, statement(key, verb(verb_revoked(), "revoked"), achievement, ended,
                                   result=about, context=earned_by)]
    if event == "credential.expired":
        return [statement(key, verb(verb_expired(), "expired"), achievement, ended,
                          result=about, context=earned_by)]
    if event == "credential.suspended":
        return [statement(key, verb(verb_suspended(), "suspended"), achievement, ended,
                          result=about, context=earned_by)]
    if event == "credential.reinstated":  # at the event's own time (``occurred_at``)
        return [statement(key, verb(verb_reinstated(), "reinstated"), achievement, None,
                          result=about, context=earned_by)]
    raise ValueError(f"No xAPI statement for event {event!r}")


def attempt_context(attempt: dict) -> dict:
    return {"contextActivities": {"parent": [course_activity(attempt)]},
            "extensions": {EXTENSION_ATTEMPT: attempt["number"]}}


def assessed_result(outcome: dict) -> dict:
    raw, most = outcome["score"], outcome["max_score"]
    return {
        "score": {"scaled": round(raw / most, 4) if most else 0, "raw": raw, "min": 0,
                  "max": most},
        "success": outcome["passed"],
        "completion": True,
        "extensions": {
            extension("criteria"): [
                {"criterion": c["name"], "label": c["label"], "level": c["level"],
                 "level_label": c["level_label"], "points": c["points"],
                 "max_points": c["max_points"]} for c in outcome["criteria"]],
            extension("changed-by-staff"): outcome["changed_by_staff"],
        },
    }


def _iso(moment) -> str:
    return moment.isoformat().replace("+00:00", "Z")
