"""Outcome pull connectors, found through the entry-point group
``credential_app.outcome_connectors`` (as HRIS delivery connectors are): an operator adds
one by installing a package that declares ``my_hr = "pkg.mod:Class"`` there, a subclass of
``credential_app.workplace.connectors.base.OutcomeConnector``."""
from importlib.metadata import entry_points

from django.utils.translation import gettext as _

from credential_app.workplace.connectors.base import OutcomeConnector

GROUP = "credential_app.outcome_connectors"


class UnknownConnector(LookupError):
    """No installed plug-in has that name."""


def available() -> dict[str, type[OutcomeConnector]]:
    found = {}
    for entry in entry_points(group=GROUP):
        cls = entry.load()
        if isinstance(cls, type) and issubclass(cls, OutcomeConnector):
            found[entry.name] = cls
    return found


def get(name: str) -> type[OutcomeConnector]:
    try:
        return available()[name]
    except KeyError as exc:
        raise UnknownConnector(_("No outcome connector “{name}” is installed.").format(
            name=name)) from exc


def choices() -> list[tuple[str, str]]:
    return sorted((name, str(cls.label or name)) for name, cls in available().items())
