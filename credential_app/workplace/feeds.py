"""An employer's outcome feed: its secrets, encrypted at rest like destination secrets.

Secrets are a dict: ``webhook_secrets`` (``whsec_``/``whpk_`` lines the inbound webhook
accepts, several during a rotation) and whatever the pull connector asks for."""
from credential_app.hris import destination_secrets
from credential_app.hris.connectors.webhook import split_secrets
from credential_app.workplace.models import OutcomeFeed


def store_secrets(feed: OutcomeFeed, secrets: dict) -> None:
    feed.secrets_encrypted = destination_secrets.encrypt({k: v for k, v in secrets.items()
                                                          if v})


def load_secrets(feed: OutcomeFeed) -> dict:
    return destination_secrets.decrypt(feed.secrets_encrypted)


def webhook_secrets(feed: OutcomeFeed) -> list[str]:
    return split_secrets(load_secrets(feed).get("webhook_secrets", ""))
