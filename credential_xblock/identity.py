"""Who is asking: the runtime's user service, read the way the LMS fills it."""
from dataclasses import dataclass

# Optional attributes the LMS's user service sets on the current XBlockUser.
USER_ID = "edx-platform.user_id"
USERNAME = "edx-platform.username"
IS_STAFF = "edx-platform.user_is_staff"


@dataclass(frozen=True)
class Viewer:
    """The person a view is rendered for or a handler is called by."""

    user_id: int | None
    username: str
    full_name: str
    is_staff: bool

    @property
    def is_signed_in(self) -> bool:
        return self.user_id is not None


def current_viewer(block) -> Viewer:
    """Identify the current user; anonymous when the runtime cannot say who they are."""
    user = block.runtime.service(block, "user").get_current_user()
    attrs = user.opt_attrs or {}
    user_id = attrs.get(USER_ID)
    return Viewer(
        user_id=int(user_id) if user_id is not None else None,
        username=attrs.get(USERNAME, ""),
        full_name=user.full_name or "",
        is_staff=bool(attrs.get(IS_STAFF)) and user_id is not None,
    )
