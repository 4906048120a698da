"""The demo's user service: the signed-in Django user, described as the LMS does."""
from django.contrib.auth import get_user_model
from xblock.reference.user_service import UserService, XBlockUser

from credential_xblock.identity import IS_STAFF, USER_ID, USERNAME


class DemoUserService(UserService):
    """Gives blocks the workbench user's id, username and staff flag (LMS attribute names)."""

    runtime = None  # set by the workbench runtime when it loads the service

    def get_current_user(self):
        username = getattr(self.runtime, "user_id", None)
        user = get_user_model().objects.filter(username=username).first() if username else None
        if user is None:
            return XBlockUser(is_current_user=True)
        xblock_user = XBlockUser(is_current_user=True, emails=[user.email] if user.email else [],
                                 full_name=user.get_full_name() or user.username)
        xblock_user.opt_attrs.update({
            USER_ID: user.pk,
            USERNAME: user.username,
            IS_STAFF: user.is_staff,
            "edx-platform.user_role": "staff" if user.is_staff else "student",
            "edx-platform.is_authenticated": True,
        })
        return xblock_user

    def get_user_by_anonymous_id(self, uid=None):
        """The user behind an anonymous id, as the LMS's user service answers it.

        The workbench has no anonymous ids: its student id (the username) stands in.
        """
        username = uid or getattr(self.runtime, "user_id", None)
        return get_user_model().objects.filter(username=username).first() if username else None
