"""The people of the demo, created by ``manage.py load_demo``."""
from dataclasses import dataclass


@dataclass(frozen=True)
class DemoUser:
    username: str
    first_name: str
    last_name: str
    role: str
    is_staff: bool = False


DEMO_USERS = (
    DemoUser("learner", "Lee", "Learner", "learner"),
    DemoUser("learner2", "Kim", "Okafor", "learner"),
    DemoUser("staff", "Sam", "Assessor", "course staff (assessor, admin)", is_staff=True),
)
DEMO_USERNAMES = {user.username for user in DEMO_USERS}
