"""The people of the demo, created by ``manage.py load_demo``."""
from dataclasses import dataclass


@dataclass(frozen=True)
class DemoUser:
    username: str
    first_name: str
    last_name: str
    role: str
    is_staff: bool = False
    id_verification: str = "none"  # what the demo verification service says of them


DEMO_USERS = (
    DemoUser("learner", "Lee", "Learner", "learner", id_verification="approved"),
    DemoUser("learner2", "Kim", "Okafor", "learner"),
    DemoUser("staff", "Sam", "Assessor", "course staff (assessor, admin)", is_staff=True,
             id_verification="approved"),
)
DEMO_USERNAMES = {user.username for user in DEMO_USERS}
