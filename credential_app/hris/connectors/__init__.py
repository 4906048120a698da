"""HRIS connector plug-ins, found through the entry-point group ``credential_app.hris_connectors``.

An operator adds a connector by installing a package that declares, in its own
packaging, ``[project.entry-points."credential_app.hris_connectors"] my_hr = "pkg.mod:Class"``
(a subclass of ``credential_app.hris.connectors.base.Connector``). Its name then appears in
the destination admin.
"""
import functools
from importlib.metadata import entry_points

from django.utils.translation import gettext as _

from credential_app.hris.connectors.base import Connector

GROUP = "credential_app.hris_connectors"


class UnknownConnector(LookupError):
    """No installed plug-in has that name."""


def available() -> dict[str, type[Connector]]:
    """Installed connectors by entry-point name, each loaded and checked."""
    return dict(_installed())


@functools.cache
def _installed() -> tuple[tuple[str, type[Connector]], ...]:
    # Reading the installed distributions' metadata costs tens of milliseconds, and every
    # hand-in and scoring asks (which connectors take attempt events): once per process.
    # Installing a plug-in means restarting the server, as for any Django app.
    found = []
    for entry in entry_points(group=GROUP):
        cls = entry.load()
        if isinstance(cls, type) and issubclass(cls, Connector):
            found.append((entry.name, cls))
    return tuple(found)


def rescan():
    """Look for plug-ins again on the next question (a test that installs one)."""
    _installed.cache_clear()


def get(name: str) -> type[Connector]:
    try:
        return available()[name]
    except KeyError as exc:
        raise UnknownConnector(_("No HRIS connector “{name}” is installed.").format(
            name=name)) from exc


def choices() -> list[tuple[str, str]]:
    return sorted((name, cls.label or name) for name, cls in available().items())
