"""The demo's user service: the signed-in Django user, described as the LMS does."""
from django.conf import settings
from django.contrib.auth import get_user_model
from django.urls import reverse
from xblock.reference.user_service import UserService, XBlockUser

from credential_xblock.identity import ANONYMOUS_USER_ID, IS_STAFF, USER_ID, USERNAME
from demo.users import DEMO_USERS


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
            # The workbench has no anonymous ids: the username stands in, as below.
            ANONYMOUS_USER_ID: user.username,
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


class DemoVerificationService:
    """ID verification as the LMS's ``XBlockVerificationService`` answers it, from demo data.

    Each demo user's status comes from ``DEMO_ID_VERIFICATION`` (username → status),
    by default from ``demo.users``: Lee Learner is verified, Kim Okafor is not.
    """

    runtime = None  # set by the workbench runtime when it loads the service

    def get_status(self, user_id):
        username = get_user_model().objects.filter(pk=user_id).values_list(
            "username", flat=True).first()
        statuses = getattr(settings, "DEMO_ID_VERIFICATION", None) or {
            user.username: user.id_verification for user in DEMO_USERS}
        return {"status": statuses.get(username, "none"), "error": "", "should_display": True,
                "status_date": "", "verification_expiry": ""}

    def reverify_url(self):
        return reverse("demo-id-verification")
