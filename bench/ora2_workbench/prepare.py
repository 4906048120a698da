"""A fresh ORA2 workbench database with signed-in learners and staff; prints them as JSON.

    python -m bench.ora2_workbench.prepare LEARNERS STAFF CRITERIA   (in ORA2's virtualenv)

Run by ``bench/versus_ora2.py``, which reads the JSON: the scenario's usage id and one
session cookie per learner and per staff member, as ``bench.run.prepare_database`` gives
for our block.
"""
import json
import os
import sys

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.ora2_workbench.settings")


def main(learners: int, staff: int, criteria: int):
    # Settings are read after DJANGO_SETTINGS_MODULE is set (above), never at import.
    from django.conf import settings

    from bench.database import fresh_database

    fresh_database()
    # After django.setup(): these need the app registry at import.
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client
    from workbench.scenarios import get_scenarios

    from bench.ora2_workbench.scenarios import add_sized_scenario, staff_assessment

    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA journal_mode=WAL")
    get_scenarios()
    usage_id = get_scenarios()[add_sized_scenario(criteria)].usage_id

    def session_of(user):
        client = Client()
        client.force_login(user)
        return client.cookies[settings.SESSION_COOKIE_NAME].value

    users = get_user_model().objects
    print(json.dumps({
        "usage_id": str(usage_id), "assessment": staff_assessment(criteria),
        "learners": [session_of(users.create_user(f"ora2-learner-{n}")) for n in range(learners)],
        "staff": [session_of(users.create_user(f"ora2-staff-{n}", is_staff=True))
                  for n in range(staff)],
    }))


if __name__ == "__main__":
    main(*(int(arg) for arg in sys.argv[1:4]))
