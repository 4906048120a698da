"""Destinations, links and consent for the HRIS people and SuccessFactors tests."""
from credential_app.hris import destination_secrets
from credential_app.models import EmployeeLink, HrisConsent, HrisDestination

SF_OPTIONS = {"client_id": "edx-client", "company_id": "ACME01", "user_id": "lms_api_admin",
              "time_zone": "Europe/Berlin", "grade": "PASS"}
SF_SECRET = "s3cr3t-Client-Secret"


def sf_destination(fake, *, name="Acme HR (SuccessFactors)", options=None, secret=SF_SECRET,
                   **fields):
    """A destination on the fake SuccessFactors server (loopback, plain HTTP in tests)."""
    return HrisDestination.objects.create(
        name=name, connector="sap_successfactors", url=fake.url,
        options={**SF_OPTIONS, **(options or {})},
        secrets_encrypted=destination_secrets.encrypt({"client_secret": secret}),
        **{"timeout_seconds": 5, "rate_limit_per_minute": 100, "batch_size": 10, **fields})


def webhook_destination(url, *, name="Globex HR (webhook)", **fields):
    return HrisDestination.objects.create(
        name=name, connector="webhook", url=url,
        secrets_encrypted=destination_secrets.encrypt(
            {"signing_secrets": "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"}),
        **{"timeout_seconds": 5, **fields})


def link(destination, user, employee_id, *, consent=True):
    EmployeeLink.objects.create(destination=destination, user=user, employee_id=employee_id)
    if consent is not None:
        HrisConsent.objects.create(destination=destination, user=user, given=consent)
