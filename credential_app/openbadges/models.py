"""Open Badges tables: what a holder shares on public pages, signed badges, status lists."""

from django.db import models
from django.utils.timezone import now
from django.utils.translation import gettext_lazy as _

from credential_app.core.models import Credential
from credential_app.data import NameDisplay

__all__ = [
    "BadgeSharing",
    "BadgeStatusList",
    "SignedBadge",
]

# ---- badge pages: what the learner shares on the public pages of a credential ----------


class BadgeSharing(models.Model):
    """How one credential's public pages show its holder; chosen by the learner.

    No row means the defaults: the name withheld and the written evidence not shown
    (nothing personal is public until the learner says so).

    .. pii: A learner's choice of how their name and evidence show on their credential's public
      pages.
    .. pii_types: other
    .. pii_retirement: local_api
    """

    credential = models.OneToOneField(Credential, on_delete=models.CASCADE,
                                      related_name="sharing")
    name_display = models.CharField(
        _("name on public pages"), max_length=10, default=NameDisplay.HIDDEN.value,
        choices=[(NameDisplay.FULL.value, _("Full name")),
                 (NameDisplay.INITIAL.value, _("First name and last initial")),
                 (NameDisplay.HIDDEN.value, _("Not shown"))])
    share_evidence = models.BooleanField(
        _("show written evidence"), default=False,
        help_text=_("Show the text the learner handed in on the assessed-evidence page."))
    updated = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("badge sharing choice")

    def __str__(self):
        return f"Sharing of credential {self.credential_id}: {self.name_display}"


# ---- Open Badges 3.0: signed credentials and their revocation status lists ------------


class BadgeStatusList(models.Model):
    """A W3C Bitstring Status List (purpose: revocation, or suspension for pathway
    credentials that may be suspended) that credentials point into.

    ``document`` is the signed ``BitstringStatusListCredential`` as served; it is
    re-signed whenever the bits it should carry (``status_list.encode``) differ.

    .. no_pii: Revocation or suspension bits, one per credential, without names.
    """

    issuer_ref = models.CharField(
        max_length=20, editable=False,
        help_text=_("Whose list: an issuer's id, or “platform” (issuer_identity)."))
    purpose = models.CharField(max_length=20, default="revocation", editable=False)
    size = models.PositiveIntegerField(help_text=_("Number of entries (bits) in the list."))
    created = models.DateTimeField(default=now, editable=False)
    full = models.BooleanField(default=False, editable=False,
                               help_text=_("Half its bits are taken: new badges use a new list."))
    encoded_list = models.TextField(blank=True, editable=False)
    document = models.TextField(blank=True, editable=False)

    class Meta:
        verbose_name = _("badge status list")

    def __str__(self):
        return f"Status list {self.pk} ({self.purpose})"


class SignedBadge(models.Model):
    """The Open Badges 3.0 credential of a ``Credential``, signed, as it is served.

    ``status_index`` is the credential's bit in ``status_list``, drawn at random
    (herd privacy) and unique per list (a database constraint). ``content_sha256``
    fingerprints the unsigned credential it signs: when what the credential says
    changes (an expiry moved, a definition renamed), it is signed again; otherwise the
    served document never changes. Private keys are never stored here.

    .. pii: The signed Open Badges credential: the holder's name if they share it, and a salted
      hash of their email as recipient identifier.
    .. pii_types: name, email_address
    .. pii_retirement: local_api
    """

    credential = models.OneToOneField(Credential, on_delete=models.CASCADE,
                                      related_name="open_badge")
    status_list = models.ForeignKey(BadgeStatusList, on_delete=models.PROTECT,
                                    related_name="entries")
    status_index = models.PositiveIntegerField()
    recipient_salt = models.CharField(max_length=64, editable=False)
    document = models.TextField(blank=True)
    content_sha256 = models.CharField(max_length=64, blank=True)
    document_hash = models.CharField(
        max_length=64, blank=True,
        help_text=_("SHA-256 of the canonical (RDFC-1.0) form of that unsigned credential: a "
                    "key rotation re-signs it without canonicalising it again."))
    key_id = models.CharField(max_length=64, blank=True)
    signed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("signed badge")
        constraints = [
            models.UniqueConstraint(fields=["status_list", "status_index"],
                                    name="credential_badge_one_per_status_bit"),
        ]

    def __str__(self):
        return f"Open Badge of credential {self.credential_id}"
