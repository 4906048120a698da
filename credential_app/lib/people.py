"""How a person is named on staff pages: by name, never as "user 17"."""
from django.contrib import admin
from django.utils.translation import gettext_lazy

LEARNER = gettext_lazy("learner")


def display_name(user) -> str:
    """Full name, else username: what assessors and reports show."""
    return user.get_full_name() or user.get_username()


def name_and_username(user) -> str:
    """"Lee Learner (lee)": the admin's label, unambiguous when two people share a name."""
    full = user.get_full_name()
    return f"{full} ({user.get_username()})" if full else user.get_username()



def person_column(field="user", description=LEARNER):
    """An admin list column naming the person in ``field`` (full name and username),
    sorted by last name."""
    @admin.display(description=description, ordering=f"{field}__last_name")
    def column(model_admin, row):
        person = getattr(row, field)
        return name_and_username(person) if person is not None else "—"
    return column
