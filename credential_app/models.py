"""All of the app's models, gathered from its domains so Django finds them under one app label
(``credential_app``) and existing migrations and admin URLs keep working.

Private to the app: code outside it uses ``api``; code inside a domain imports its own
domain's ``models`` module, not this one.
"""
from credential_app.catalogue.models import *  # noqa: F403
from credential_app.core.models import *  # noqa: F403
from credential_app.course_scores.models import *  # noqa: F403
from credential_app.hris.models import *  # noqa: F403
from credential_app.openbadges.models import *  # noqa: F403
from credential_app.pathways.models import *  # noqa: F403
from credential_app.reports.models import *  # noqa: F403
from credential_app.workplace.models import *  # noqa: F403
