"""HTTP endpoints of the app."""
from django.contrib.auth.decorators import login_required
from django.http import JsonResponse
from django.views.decorators.http import require_GET

from . import api


@require_GET
@login_required
def my_credentials(request):
    """The signed-in learner's own credentials; nobody else's can be asked for."""
    return JsonResponse({
        "results": [
            {
                "uuid": credential.uuid,
                "credential": credential.definition.slug,
                "name": credential.definition.name,
                "status": credential.status.value,
                "issued_at": credential.issued_at.isoformat(),
            }
            for credential in api.get_learner_credentials(request.user.pk)
        ]
    })
