"""Who is asking: the runtime's user service, read the way the LMS fills it."""
from dataclasses import dataclass

from xblock.exceptions import NoSuchServiceError

# Optional attributes the LMS's user service sets on the current XBlockUser.
USER_ID = "edx-platform.user_id"
USERNAME = "edx-platform.username"
IS_STAFF = "edx-platform.user_is_staff"
ANONYMOUS_USER_ID = "edx-platform.anonymous_user_id"  # the user as this course knows them


@dataclass(frozen=True)
class Viewer:
    """The person a view is rendered for or a handler is called by."""

    user_id: int | None
    username: str
    full_name: str
    is_staff: bool
    anonymous_id: str = ""  # their course-specific anonymous id; "" where the runtime has none

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
        anonymous_id=str(attrs.get(ANONYMOUS_USER_ID) or "") if user_id is not None else "",
    )


def current_viewer_or_none(block) -> Viewer | None:
    """The current user where the runtime can say (an LMS task resetting state may not)."""
    try:
        return current_viewer(block)
    except NoSuchServiceError:
        return None


def user_id_for_anonymous_id(block, anonymous_id) -> int | None:
    """The user id behind an anonymous user id (as the LMS passes to ``clear_student_state``).

    Asks the runtime's user service (``get_user_by_anonymous_id``, as the LMS provides);
    where the runtime gives the block no user service (a block the LMS loads to reset it),
    the LMS's own ``user_by_anonymous_id``. None when nobody has that id.
    """
    if not anonymous_id:
        return None
    try:
        lookup = block.runtime.service(block, "user").get_user_by_anonymous_id
    except (NoSuchServiceError, AttributeError):
        lookup = _lms_lookup()
    user = lookup(anonymous_id) if lookup else None
    return user.id if user is not None else None


def _lms_lookup():
    try:
        # Optional dependency: edx-platform exists only inside the LMS, not in the workbench.
        from common.djangoapps.student.models import user_by_anonymous_id
    except ImportError:
        return None
    return user_by_anonymous_id
