"""REST endpoints: a learner's records (the learner, or staff) and staff actions.

Authentication is the LMS's: its JWTs (edx-drf-extensions) first, then the browser
session (CSRF-checked). Every view calls only ``credential_app.api``.
"""
from django.contrib.auth import get_user_model
from django.utils.translation import gettext as _
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.utils import OpenApiParameter, inline_serializer
from edx_rest_framework_extensions.auth.jwt.authentication import JwtAuthentication
from edx_rest_framework_extensions.permissions import NotJwtRestrictedApplication
from rest_framework import exceptions, serializers, status
from rest_framework.authentication import SessionAuthentication
from rest_framework.permissions import IsAdminUser, IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from credential_app import api
from credential_app.rest import errors
from credential_app.rest.parsers import CheckedJsonParser
from credential_app.rest.permissions import is_staff, learner_asked_for
from credential_app.rest.schema import documented  # also registers the JWT security scheme
from credential_app.rest.serializers import (
    ApproveSerializer,
    AttemptSerializer,
    CredentialSerializer,
    EmployerSharingSerializer,
    ErrorSerializer,
    ExtraAttemptsSerializer,
    RetakeQuerySerializer,
    RetakeStatusSerializer,
    RevokeSerializer,
    SharingChoiceSerializer,
)

USERNAME_PARAMETER = OpenApiParameter(
    "username", str, description="Whose records (staff only); the requester's by default.")
REFUSALS = {code: ErrorSerializer for code in (400, 401, 403, 404, 409)}


CREDENTIAL_LIST = inline_serializer("CredentialList", {"results": CredentialSerializer(many=True)})
ATTEMPT_LIST = inline_serializer("AttemptList", {"results": AttemptSerializer(many=True)})


class CredentialAPIView(APIView):
    """Base of every endpoint: LMS authentication, signed-in users, one error shape.

    Tokens of *restricted* OAuth applications (``is_restricted``) act for a user only
    where an endpoint checks their scopes and filters; none here does, so they are refused.
    """

    authentication_classes = (JwtAuthentication, SessionAuthentication)
    permission_classes = (IsAuthenticated, NotJwtRestrictedApplication)
    parser_classes = (CheckedJsonParser,)
    schema = AutoSchema()

    def get_exception_handler(self):
        return errors.exception_handler


class StaffActionView(CredentialAPIView):
    permission_classes = (IsAuthenticated, NotJwtRestrictedApplication, IsAdminUser)


class MyCredentialsView(CredentialAPIView):
    @documented(operation_id="my_credentials_list",
                responses={200: CREDENTIAL_LIST, **REFUSALS})
    def get(self, request):
        """The signed-in learner's own credentials, newest first."""
        credentials = api.get_learner_credentials(request.user.pk)
        return Response({"results": CredentialSerializer(credentials, many=True).data})


class LearnerCredentialsView(CredentialAPIView):
    @documented(operation_id="learner_credentials_list", parameters=[USERNAME_PARAMETER],
                responses={200: CREDENTIAL_LIST, **REFUSALS})
    def get(self, request):
        """A learner's credentials: one's own, or anyone's for staff (``?username=``)."""
        learner = learner_asked_for(request)
        credentials = api.get_learner_credentials(learner.pk)
        return Response({"results": CredentialSerializer(credentials, many=True).data})


class LearnerAttemptsView(CredentialAPIView):
    @documented(operation_id="learner_attempts_list", parameters=[USERNAME_PARAMETER],
                responses={200: ATTEMPT_LIST, **REFUSALS})
    def get(self, request):
        """A learner's attempts, newest first, each with its result once assessed."""
        learner = learner_asked_for(request)
        attempts = api.get_learner_attempts(learner.pk)
        return Response({"results": AttemptSerializer(attempts, many=True).data})


class RetakeStatusView(CredentialAPIView):
    @documented(operation_id="retake_status_retrieve",
                parameters=[USERNAME_PARAMETER,
                            OpenApiParameter("usage_key", str, required=True,
                                             description="The assessment unit."),
                            OpenApiParameter(
                                "credential", str, required=False,
                                description="Slug of the credential the unit leads to (the "
                                "block's link). Give it for a unit not registered with the app "
                                "yet, so that credential's retake policy (closing date, "
                                "attempts, waits) is applied as submitting would apply it; "
                                "without it such a unit is judged with no policy. "
                                "An unknown slug is refused (404, field \"credential\").")],
                responses={200: RetakeStatusSerializer, **REFUSALS})
    def get(self, request):
        """May the learner start an attempt at this unit now; if not, why and from when."""
        learner = learner_asked_for(request)
        query = RetakeQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        slug = query.validated_data.get("credential")
        if slug:
            try:  # the same refusal submitting with this link would meet
                api.get_credential_definition(slug)
            except api.UnknownCredential as exc:
                raise api.UnknownCredential(exc.message, field="credential") from exc
        retake = api.get_retake_status(learner.pk, query.validated_data["usage_key"],
                                       credential_slug=slug)
        return Response(RetakeStatusSerializer(retake).data)


class CredentialDetailView(CredentialAPIView):
    @documented(operation_id="credential_retrieve",
                responses={200: CredentialSerializer, **REFUSALS})
    def get(self, request, credential_uuid):
        """One credential, for its holder or staff."""
        credential = api.get_credential(str(credential_uuid))
        if credential.user_id != request.user.pk and not is_staff(request.user):
            raise exceptions.PermissionDenied(_("You may only see your own records."))
        return Response(CredentialSerializer(credential).data)


class ApproveCredentialView(StaffActionView):
    @documented(request=ApproveSerializer, responses={200: CredentialSerializer, **REFUSALS})
    def post(self, request, credential_uuid):
        """Approve a credential waiting for approval (staff)."""
        data = _valid(ApproveSerializer, request)
        credential = api.approve_credential(credential_uuid=str(credential_uuid),
                                            approver_id=request.user.pk, reason=data["reason"])
        return Response(CredentialSerializer(credential).data)


class RevokeCredentialView(StaffActionView):
    @documented(request=RevokeSerializer, responses={200: CredentialSerializer, **REFUSALS})
    def post(self, request, credential_uuid):
        """Revoke a credential (staff); the reason is required and shown to the learner."""
        data = _valid(RevokeSerializer, request)
        credential = api.revoke_credential(credential_uuid=str(credential_uuid),
                                           revoked_by=request.user.pk, reason=data["reason"])
        return Response(CredentialSerializer(credential).data)


class ExtraAttemptsView(StaffActionView):
    @documented(request=ExtraAttemptsSerializer,
                responses={201: RetakeStatusSerializer, **REFUSALS})
    def post(self, request):
        """Grant a learner extra attempts at one unit (staff); the reason is required."""
        data = _valid(ExtraAttemptsSerializer, request)
        learner = get_user_model().objects.filter(username=data["username"]).first()
        if learner is None:
            raise serializers.ValidationError(
                {"username": _("No user “{username}” exists.").format(username=data["username"])})
        retake = api.grant_extra_attempts(user_id=learner.pk, usage_key=data["usage_key"],
                                          count=data["count"], granted_by=request.user.pk,
                                          reason=data["reason"])
        return Response(RetakeStatusSerializer(retake).data, status=status.HTTP_201_CREATED)


def _valid(serializer_class, request) -> dict:
    serializer = serializer_class(data=request.data)
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data


# ---- HRIS people: a learner's consent to share with employers ---------------------------


EMPLOYER_LIST = inline_serializer("EmployerSharingList",
                                  {"results": EmployerSharingSerializer(many=True)})


class MyEmployersView(CredentialAPIView):
    @documented(operation_id="my_employers_list",
                responses={200: EMPLOYER_LIST, **REFUSALS})
    def get(self, request):
        """Employers that know the signed-in learner, and whether the learner shares their
        credentials with each (only their own; staff included)."""
        employers = api.get_employer_sharing(request.user.pk)
        return Response({"results": EmployerSharingSerializer(employers, many=True).data})


class MyEmployerSharingView(CredentialAPIView):
    @documented(operation_id="my_employer_sharing_update", request=SharingChoiceSerializer,
                responses={200: EmployerSharingSerializer, **REFUSALS})
    def put(self, request, destination_id):
        """Give or withdraw the signed-in learner's consent for one employer that links
        them; any other employer is 404."""
        data = _valid(SharingChoiceSerializer, request)
        choice = api.set_employer_sharing(user_id=request.user.pk,
                                          destination_id=destination_id, share=data["share"])
        return Response(EmployerSharingSerializer(choice).data)


# ---- employers' managers: employees by credential, pathway or job task -----------------


class EmployeeSearchQuerySerializer(serializers.Serializer):
    credential = serializers.SlugField(required=False, max_length=100, allow_blank=True,
                                       help_text="Slug of a credential or pathway.")
    task = serializers.IntegerField(required=False, min_value=1, max_value=2**31 - 1,
                                    help_text="Id of a job task (see the catalogue).")


class HeldCredentialSerializer(serializers.Serializer):
    slug = serializers.CharField()
    name = serializers.CharField()
    uuid = serializers.CharField()
    expires_at = serializers.DateTimeField(allow_null=True)


class EmployeeMatchSerializer(serializers.Serializer):
    employer = serializers.CharField()
    employee_id = serializers.CharField()
    name = serializers.CharField()
    credentials = HeldCredentialSerializer(many=True)


EMPLOYEE_LIST = inline_serializer("EmployeeMatchList",
                                  {"results": EmployeeMatchSerializer(many=True)})


class EmployeeSearchView(CredentialAPIView):
    @documented(operation_id="employees_search",
                parameters=[EmployeeSearchQuerySerializer],
                responses={200: EMPLOYEE_LIST, **REFUSALS})
    def get(self, request):
        """Employees of the requester's employers who share their credentials and hold an
        active credential or pathway (``credential``) or one mapped to a job task
        (``task``); managers an employer authorised only (403 otherwise). Audited."""
        query = EmployeeSearchQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        if not api.is_employer_manager(request.user.pk):
            raise api.NotAManager(_("Only managers an employer has authorised may search its "
                                    "employees."))
        found = api.search_employees(manager_id=request.user.pk,
                                     credential_slug=query.validated_data.get("credential", ""),
                                     task_id=query.validated_data.get("task"))
        return Response({"results": EmployeeMatchSerializer(found, many=True).data})
