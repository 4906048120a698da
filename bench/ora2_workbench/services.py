"""The LMS services ORA2 asks for, answered from the workbench's signed-in user.

Like ``demo.services`` for our block: the workbench student id is the username and stands in
for the anonymous id; staff users are course staff. ORA2 runs without teams here.
"""
from django.contrib.auth import get_user_model
from xblock.reference.user_service import UserService, XBlockUser


class SessionUserService(UserService):
    runtime = None  # set by the workbench runtime when it loads the service

    def get_current_user(self):
        username = getattr(self.runtime, "user_id", None)
        user = get_user_model().objects.filter(username=username).first() if username else None
        if user is None:
            return XBlockUser(is_current_user=True)
        described = XBlockUser(is_current_user=True, emails=[user.email] if user.email else [],
                               full_name=user.get_full_name() or user.username)
        described.opt_attrs.update({
            "edx-platform.user_id": user.pk, "edx-platform.username": user.username,
            "edx-platform.user_is_staff": user.is_staff,
            "edx-platform.anonymous_user_id": user.username,
            "edx-platform.user_role": "staff" if user.is_staff else "student",
            "edx-platform.is_authenticated": True,
        })
        return described

    def get_anonymous_user_id(self, username, course_id):
        return username

    def get_user_by_anonymous_id(self, uid=None):
        username = uid or getattr(self.runtime, "user_id", None)
        return get_user_model().objects.filter(username=username).first() if username else None


class NoUserStateService:
    """ORA2 reads other blocks' user state only for rubric reuse; nothing here."""

    runtime = None

    def get_state_as_dict(self, *args, **kwargs):
        return {}


class NoTeamsService:
    """A course without teams."""

    runtime = None

    def get_team(self, *args, **kwargs):
        return None

    def get_teams_configuration(self, course_id):
        return None

    def get_anonymous_user_ids_for_team(self, *args, **kwargs):
        return []
