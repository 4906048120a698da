"""Individual outcomes: seen only with the dedicated permission, every look audited;
retirement erases them."""
import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.urls import reverse

from credential_app import api
from credential_app.models import AuditEntry, OutcomeEvent
from tests.workplace_helpers import employer_with_staff, event, signed

pytestmark = pytest.mark.django_db


@pytest.fixture
def stored(client):
    feed, users = employer_with_staff(2)
    body, headers = signed([event("ev-1"), event("ev-2", "E-2")])
    client.post(reverse("credential_app:rest-workplace-outcomes", kwargs={"feed_id": feed.pk}),
                data=body, content_type="application/json", headers=headers)
    assert OutcomeEvent.objects.count() == 2
    return users


def staff_user(name, *, may_see):
    user = get_user_model().objects.create_user(name, is_staff=True)
    user.user_permissions.add(Permission.objects.get(codename="view_outcomeevent"))
    if may_see:
        user.user_permissions.add(Permission.objects.get(codename="view_individual_outcomes"))
    return get_user_model().objects.get(pk=user.pk)


def test_staff_without_the_permission_cannot_see_individual_outcomes(client, stored):
    client.force_login(staff_user("viewer", may_see=False))
    assert client.get(reverse("admin:credential_app_outcomeevent_changelist")).status_code == 403
    event_row = OutcomeEvent.objects.first()
    page = client.get(reverse("admin:credential_app_outcomeevent_change", args=[event_row.pk]))
    assert page.status_code in (302, 403)
    assert not AuditEntry.objects.filter(action="outcomes_read").exists()


def test_every_read_of_individual_outcomes_is_audited(client, stored):
    reader = staff_user("hr-analyst", may_see=True)
    client.force_login(reader)
    assert client.get(reverse("admin:credential_app_outcomeevent_changelist")).status_code == 200
    event_row = OutcomeEvent.objects.first()
    page = client.get(reverse("admin:credential_app_outcomeevent_change", args=[event_row.pk]))
    assert page.status_code == 200
    reads = AuditEntry.objects.filter(action="outcomes_read").order_by("id")
    assert [(r.actor_id, r.learner_id) for r in reads] == [(reader.pk, None),
                                                           (reader.pk, event_row.user_id)]


def test_retirement_erases_a_persons_outcomes(stored):
    api.retire_user(stored[0].pk)
    assert list(OutcomeEvent.objects.values_list("user_id", flat=True)) == [stored[1].pk]
