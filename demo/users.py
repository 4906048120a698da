"""The people of the demo, created by ``manage.py load_demo``."""
from dataclasses import dataclass


@dataclass(frozen=True)
class DemoUser:
    username: str
    first_name: str
    last_name: str
    role: str
    is_staff: bool = False  # course staff: sees the assessor queue and the reports
    is_admin: bool = False  # Django admin (superuser)
    id_verification: str = "none"  # what the demo verification service says of them


DEMO_USERS = (
    DemoUser("learner", "Lee", "Learner", "learner", id_verification="approved"),
    DemoUser("learner2", "Kim", "Okafor", "learner"),
    DemoUser("staff", "Sam", "Assessor", "course staff (assessor, admin)", is_staff=True,
             is_admin=True, id_verification="approved"),
    DemoUser("assessor2", "Ana", "Reviewer", "course staff (a second assessor)", is_staff=True,
             id_verification="approved"),
)
DEMO_USERNAMES = {user.username for user in DEMO_USERS}
