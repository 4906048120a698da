"""Learner↔employee links imported from the employer's CSV in the Django admin.

Every row is checked and every problem named with its row number; a file with any
problem changes nothing; a good file makes and updates links at once, audited.
"""
import pytest
from django.contrib.auth import get_user_model

from credential_app.hris import employee_import
from credential_app.models import AuditEntry, EmployeeLink, HrisDestination

IMPORT_URL = "/admin/credential_app/employeelink/import/"
# matching ignores case in SQL (Lower) and unique keys refuse duplicates: backend work
pytestmark = pytest.mark.db_server


@pytest.fixture
def destination(db):
    return HrisDestination.objects.create(name="Acme HR", connector="webhook",
                                          url="https://hr.acme.example/hooks")


@pytest.fixture
def staff_people(people):
    User = get_user_model()
    people["learner"].email = "lee@example.com"
    people["learner"].save()
    people["learner2"].email = "Kim@Example.com"
    people["learner2"].save()
    people["admin"] = User.objects.create_superuser("admin", "admin@example.com", "pw")
    return people


def links(destination):
    return sorted(EmployeeLink.objects.filter(destination=destination)
                  .values_list("user__username", "employee_id"))


def test_a_file_links_learners_by_username_or_email(staff_people, destination):
    data = b"username,email,employee_id\nlearner,,E-1\n,kim@example.com,E-2\n"
    result = employee_import.import_links(destination, data, actor_id=staff_people["admin"].pk)
    assert (result.created, result.updated, result.unchanged) == (2, 0, 0)
    assert links(destination) == [("learner", "E-1"), ("learner2", "E-2")]
    entry = AuditEntry.objects.get(action="employee_links_imported")
    assert entry.actor == staff_people["admin"]
    assert entry.details == {"destination": destination.pk, "created": 2, "updated": 0,
                             "unchanged": 0}
    assert "E-1" not in str(entry.details)  # counts only: the ids stay in their table


def test_importing_again_updates_changed_ids_and_may_swap_them(staff_people, destination):
    employee_import.import_links(destination, b"username,employee_id\nlearner,E-1\n"
                                              b"learner2,E-2\n", actor_id=None)
    result = employee_import.import_links(
        destination, b"\xef\xbb\xbfusername,employee_id\r\nlearner,E-2\r\nlearner2,E-1\r\n",
        actor_id=None)  # a spreadsheet's UTF-8 BOM and CRLF lines are fine
    assert (result.created, result.updated, result.unchanged) == (0, 2, 0)
    assert links(destination) == [("learner", "E-2"), ("learner2", "E-1")]
    result = employee_import.import_links(destination, b"username,employee_id\nlearner,E-2\n",
                                          actor_id=None)
    assert (result.created, result.updated, result.unchanged) == (0, 0, 1)


def test_every_problem_is_named_by_row_and_nothing_changes(staff_people, destination):
    employee_import.import_links(destination, b"username,employee_id\nstaff,E-9\n",
                                 actor_id=None)
    data = ("username,email,employee_id\n"
            "learner,,E-1\n"             # row 2: fine on its own
            "ghost,,E-2\n"               # row 3: no such username
            ",nobody@example.com,E-3\n"  # row 4: no such email
            "learner2,,\n"               # row 5: empty employee id
            ",,E-5\n"                    # row 6: nobody named
            "admin,,e-1\n"               # row 7: id already on row 2 (case aside)
            "learner2,,e-9\n"            # row 8: id kept by staff, who the file leaves alone
            "learner,,E-7\n"             # row 9: learner again
            f"admin,,{'x' * 101}\n"      # row 10: too long
            ).encode()
    with pytest.raises(employee_import.ImportRejected) as rejected:
        employee_import.import_links(destination, data, actor_id=None)
    assert rejected.value.problems == [
        "Row 3: no learner has the username “ghost”.",
        "Row 4: no learner has the email “nobody@example.com”.",
        "Row 5: the employee ID is empty.",
        "Row 6: give a username or an email.",
        "Row 7: employee ID “e-1” is already given on row 2.",
        "Row 8: employee ID “e-9” already belongs to another learner at this destination.",
        "Row 9: this learner is already linked on row 2.",
        "Row 10: the employee ID is longer than 100 characters.",
    ]
    assert links(destination) == [("staff", "E-9")]  # all or nothing
    assert AuditEntry.objects.filter(action="employee_links_imported").count() == 1


@pytest.mark.parametrize(("data", "problem"), [
    (b"", "The file is empty."),
    (b"name,id\nlearner,E-1\n", "Row 1 must name the columns: employee_id and username or "
                                "email."),
    (b"username,employee_id\n", "The file has a header but no rows."),
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "This is not a CSV text file."),
    ("username,employee_id\nlearner,É-1\n".encode("latin-1"),
     "The file is not UTF-8 text (save it as “CSV UTF-8”)."),
    (b"username,employee_id\nlearner,E-1,extra\n",
     "Row 2: more cells than the header has columns."),
])
def test_files_that_are_not_a_usable_csv_are_refused(staff_people, destination, data, problem):
    with pytest.raises(employee_import.ImportRejected) as rejected:
        employee_import.import_links(destination, data, actor_id=None)
    assert rejected.value.problems == [problem]
    assert not EmployeeLink.objects.exists()


def test_an_email_several_learners_share_asks_for_the_username(staff_people, destination):
    staff_people["staff"].email = "lee@example.com"
    staff_people["staff"].save()
    with pytest.raises(employee_import.ImportRejected) as rejected:
        employee_import.import_links(destination, b"email,employee_id\nlee@example.com,E-1\n",
                                     actor_id=None)
    assert rejected.value.problems == [
        "Row 2: several learners have the email “lee@example.com”; use their username."]


def test_the_database_refuses_a_second_link_for_a_learner_or_an_id(staff_people, destination):
    from django.db import IntegrityError, transaction

    EmployeeLink.objects.create(destination=destination, user=staff_people["learner"],
                                employee_id="E-1")
    for user, employee_id in ((staff_people["learner"], "E-2"),
                              (staff_people["learner2"], "E-1")):
        with pytest.raises(IntegrityError), transaction.atomic():
            EmployeeLink.objects.create(destination=destination, user=user,
                                        employee_id=employee_id)
    other = HrisDestination.objects.create(name="Other", url="https://other.example/")
    EmployeeLink.objects.create(destination=other, user=staff_people["learner2"],
                                employee_id="E-1")  # ids are per destination


# --- the admin page ---

def test_the_admin_imports_an_uploaded_file(client, staff_people, destination):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(staff_people["admin"])
    changelist = client.get("/admin/credential_app/employeelink/").content.decode()
    assert f'href="{IMPORT_URL}"' in changelist
    page = client.get(IMPORT_URL).content.decode()
    assert '<label for="id_file">CSV file</label>' in page
    assert 'aria-describedby="id_file_helptext"' in page and 'id="id_file_helptext"' in page

    upload = SimpleUploadedFile("staff.csv", b"username,employee_id\nlearner,E-1\n",
                                content_type="text/csv")
    response = client.post(IMPORT_URL, {"destination": destination.pk, "file": upload},
                           follow=True)
    assert "Imported: 1 links made, 0 updated, 0 unchanged." in response.content.decode()
    assert links(destination) == [("learner", "E-1")]

    bad = SimpleUploadedFile("staff.csv", b"username,employee_id\nghost,E-2\n<b>x</b>,E-3\n")
    html = client.post(IMPORT_URL, {"destination": destination.pk, "file": bad}
                       ).content.decode()
    assert 'role="alert"' in html and "fix these 2 problems" in html
    assert "Row 2: no learner has the username “ghost”." in html
    assert "&lt;b&gt;x&lt;/b&gt;" in html and "<b>x</b>" not in html  # escaped
    assert links(destination) == [("learner", "E-1")]


def test_only_admins_allowed_to_add_and_change_links_may_import(client, staff_people,
                                                                destination):
    from django.contrib.auth.models import Permission

    staff = staff_people["staff"]
    staff.user_permissions.add(Permission.objects.get(codename="view_employeelink"))
    client.force_login(staff)
    assert client.get(IMPORT_URL).status_code == 403
    assert IMPORT_URL not in client.get("/admin/credential_app/employeelink/").content.decode()
    assert client.post(IMPORT_URL, {"destination": destination.pk}).status_code == 403
    client.logout()
    assert client.get(IMPORT_URL).status_code == 302  # to the admin's sign-in


def test_deleting_links_in_admin_is_audited(client, staff_people, destination):
    link = EmployeeLink.objects.create(destination=destination, user=staff_people["learner"],
                                       employee_id="E-1")
    client.force_login(staff_people["admin"])
    client.post("/admin/credential_app/employeelink/",
                {"action": "delete_selected", "_selected_action": [link.pk], "post": "yes"})
    assert not EmployeeLink.objects.exists()
    entry = AuditEntry.objects.get(action="employee_link_deleted")
    assert entry.learner == staff_people["learner"] and entry.actor == staff_people["admin"]
