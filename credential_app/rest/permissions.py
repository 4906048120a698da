"""Who may see whose records, and who may act on credentials."""
from django.contrib.auth import get_user_model
from django.utils.translation import gettext as _
from rest_framework import exceptions


def is_staff(user) -> bool:
    """Platform staff (``is_staff``: an LMS administrator's JWT carries it too)."""
    return bool(user and user.is_authenticated and user.is_staff)


def learner_asked_for(request):
    """The learner whose records are asked for: ``?username=``, or the requester.

    Staff may ask for anyone; a learner only for themself (403 otherwise, so nobody
    learns whether another username exists). Unknown usernames are 404 for staff.
    """
    username = request.query_params.get("username")
    if not username or username == request.user.get_username():
        return request.user
    if not is_staff(request.user):
        raise exceptions.PermissionDenied(_("You may only see your own records."))
    user = get_user_model().objects.filter(username=username).first()
    if user is None:
        raise exceptions.NotFound(_("No user “{username}” exists.").format(username=username[:150]))
    return user
