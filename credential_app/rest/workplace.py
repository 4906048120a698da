"""The employer's side of workplace outcomes: a signed inbound webhook.

``POST workplace/outcomes/<feed id>/`` takes a Standard Webhooks 1.0 message (see
``workplace.webhook``). No session and no user: who is asking is proven by the signature
(a secret only that employer holds), so there is no CSRF to defend against. The body is
read raw (the signature covers its bytes), at most 1 MB, and rate-limited per client.
"""
from django.conf import settings
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.utils import OpenApiParameter, inline_serializer
from rest_framework import parsers, serializers
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.throttling import AnonRateThrottle
from rest_framework.views import APIView

from credential_app.rest.errors import exception_handler
from credential_app.rest.schema import documented
from credential_app.rest.serializers import ErrorSerializer
from credential_app.workplace import webhook
from credential_app.workplace.models import OutcomeFeed


class RawBodyParser(parsers.BaseParser):
    """The body as bytes: the signature is checked over exactly what was sent."""

    media_type = "application/json"

    def parse(self, stream, media_type=None, parser_context=None):
        return stream.read(webhook.MAX_BODY_BYTES + 1)


class OutcomeWebhookThrottle(AnonRateThrottle):
    scope = "workplace_outcomes"

    def get_rate(self):
        return (getattr(settings, "CREDENTIAL_APP", {}) or {}).get(
            "WORKPLACE_WEBHOOK_RATE", "300/minute")


EVENT = inline_serializer("OutcomeEventIn", {
    "event_id": serializers.CharField(max_length=100, help_text="The employer's id of the "
                                      "event: sent again, it changes nothing."),
    "employee_id": serializers.CharField(max_length=100),
    "type": serializers.ChoiceField(["hire", "performance", "promotion", "role_change",
                                     "salary_band_change", "exit", "time_to_productivity"]),
    "date": serializers.DateField(),
    "value": serializers.DecimalField(max_digits=12, decimal_places=2, required=False,
                                      help_text="performance: % of target; "
                                      "salary_band_change: steps; time_to_productivity: "
                                      "days."),
    "role": serializers.CharField(max_length=100, required=False),
    "site": serializers.CharField(max_length=100, required=False),
})
MESSAGE = inline_serializer("OutcomeWebhookMessage", {
    "type": serializers.CharField(),
    "timestamp": serializers.CharField(),
    "data": inline_serializer("OutcomeWebhookData", {
        "events": serializers.ListField(child=EVENT, max_length=webhook.MAX_EVENTS_PER_MESSAGE),
    }),
})
ANSWER = inline_serializer("OutcomeWebhookAnswer", {
    "duplicate": serializers.BooleanField(help_text="This webhook-id was received before."),
    "stored": serializers.IntegerField(),
    "already_known": serializers.IntegerField(required=False),
    "not_shared": serializers.IntegerField(
        required=False, help_text="Events about employees not linked here or who did not "
                                  "consent to share: dropped."),
})
PROBLEMS = inline_serializer("OutcomeWebhookProblems", {
    "error": serializers.CharField(),
    "problems": serializers.ListField(child=serializers.DictField()),
})


class OutcomeWebhookView(APIView):
    authentication_classes = ()
    permission_classes = (AllowAny,)  # the Standard Webhooks signature is the credential
    throttle_classes = (OutcomeWebhookThrottle,)
    parser_classes = (RawBodyParser,)
    schema = AutoSchema()

    def get_exception_handler(self):
        return exception_handler

    @documented(
        request=MESSAGE,
        parameters=[OpenApiParameter("webhook-id", str, OpenApiParameter.HEADER, True),
                    OpenApiParameter("webhook-timestamp", int, OpenApiParameter.HEADER, True),
                    OpenApiParameter("webhook-signature", str, OpenApiParameter.HEADER,
                                     True)],
        responses={200: ANSWER, 400: ErrorSerializer, 401: ErrorSerializer,
                   404: ErrorSerializer, 413: ErrorSerializer, 422: PROBLEMS,
                   429: ErrorSerializer},
        summary="Receive workplace outcome events from an employer (Standard Webhooks)",
        description="Signed with a secret of the employer's outcome feed (whsec_ HMAC or "
                    "Ed25519); the timestamp must be within five minutes and a webhook-id "
                    "already received changes nothing. One bad event refuses the whole "
                    "message (422, every problem by event and field). Only events about "
                    "linked employees who consented to share with this employer are kept.")
    def post(self, request, feed_id):
        declared = request.META.get("CONTENT_LENGTH") or "0"
        if declared.isdigit() and int(declared) > webhook.MAX_BODY_BYTES:
            answer = webhook.Answer(413, {"error": "The message is larger than 1 MB."})
        else:
            body = request.data if isinstance(request.data, bytes) else b""
            feed = (OutcomeFeed.objects.select_related("destination")
                    .filter(pk=feed_id).first())
            answer = webhook.receive(feed, request.headers, body)
        return Response({"field": None, **answer.body}, status=answer.status)
