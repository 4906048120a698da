"""Outbound HTTP to HRIS destinations that cannot be turned against our own network (SSRF).

Two checks, one rule (``address_problem``):

- when an admin saves a destination, its URL must be HTTPS and every address its host
  resolves to must be public (``check_destination_url``);
- at connect time the host is resolved once, each address checked, and the socket opened to
  the checked address itself, so a DNS answer that changes between check and connect
  (DNS rebinding) cannot lead us inside. TLS still verifies the certificate against the
  host name. Redirects are never followed (a 3xx is a failed try).

Private, loopback, link-local and other non-public addresses are refused unless
``CREDENTIAL_APP["HRIS_ALLOW_PRIVATE_ADDRESSES"]`` is true (the demo and tests, whose HRIS
simulator listens on 127.0.0.1); plain ``http://`` only with ``HRIS_ALLOW_HTTP``.

Built on ``requests`` (already a dependency) with an adapter whose connection classes
override only the socket opening step of urllib3.
"""
import ipaddress
import os
import socket
import tempfile
from urllib.parse import urlsplit

import requests
from cryptography import x509
from django.conf import settings
from django.utils.translation import gettext as _
from requests.adapters import HTTPAdapter
from urllib3.connection import HTTPConnection, HTTPSConnection
from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool
from urllib3.exceptions import ConnectTimeoutError, NewConnectionError


class BlockedAddress(Exception):
    """The destination resolves to an address we must not connect to."""


def allow_private() -> bool:
    return bool(settings.CREDENTIAL_APP.get("HRIS_ALLOW_PRIVATE_ADDRESSES"))


def allow_http() -> bool:
    return bool(settings.CREDENTIAL_APP.get("HRIS_ALLOW_HTTP"))


NAT64 = ipaddress.ip_network("64:ff9b::/96")  # RFC 6052 well-known prefix
IPV4_COMPATIBLE = ipaddress.ip_network("::/96")  # deprecated ::a.b.c.d


def embedded_ipv4(ip: ipaddress.IPv6Address) -> list[ipaddress.IPv4Address]:
    """The IPv4 addresses an IPv6 address carries, which is where a packet to it may end
    up: IPv4-mapped, IPv4-compatible, NAT64 (64:ff9b::/96), 6to4 (2002::/16), Teredo."""
    found = []
    if ip.ipv4_mapped is not None:
        found.append(ip.ipv4_mapped)
    if ip in IPV4_COMPATIBLE and int(ip) > 1:  # not :: nor ::1 (unspecified, loopback)
        found.append(ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF))
    if ip in NAT64:
        found.append(ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF))
    if ip.sixtofour is not None:
        found.append(ip.sixtofour)
    if ip.teredo is not None:
        found.extend(ip.teredo)  # (server, client), the client already de-obfuscated
    return found


def address_problem(address: str) -> str | None:
    """Why we may not connect to this IP address (None: it is public, or allowed). An
    IPv6 address that carries an IPv4 one is judged by the IPv4 address it carries."""
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address):
        for carried in embedded_ipv4(ip):
            problem = address_problem(str(carried))
            if problem:
                return problem
    if ip.is_global and not ip.is_multicast:
        return None
    if allow_private() and (ip.is_private or ip.is_loopback or ip.is_link_local):
        return None
    if ip.is_loopback:
        kind = _("a loopback address")
    elif ip.is_link_local:
        kind = _("a link-local address")
    elif ip.is_private:
        kind = _("a private address")
    else:
        kind = _("a reserved address")
    return _("{address} is {kind}; HRIS destinations must be on the public internet.").format(
        address=ip, kind=kind)


def resolve(host: str, port: int) -> list[str]:
    """Every address ``host`` resolves to, in the resolver's order."""
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    seen = []
    for _family, _type, _proto, _name, sockaddr in infos:
        if sockaddr[0] not in seen:
            seen.append(sockaddr[0])
    return seen


def checked_addresses(host: str, port: int) -> list[str]:
    """The host's addresses, all allowed; raise ``BlockedAddress`` if any is not (a name
    that also resolves inside is refused as a whole)."""
    try:
        addresses = resolve(host, port)
    except socket.gaierror as exc:
        raise BlockedAddress(_("The host name {host} cannot be resolved.").format(
            host=host)) from exc
    for address in addresses:
        problem = address_problem(address)
        if problem:
            raise BlockedAddress(problem)
    return addresses


def check_destination_url(url: str) -> str | None:
    """Why this URL cannot be a destination (None: fine). Resolves its host now."""
    parts = urlsplit(url)
    if parts.scheme != "https" and not (parts.scheme == "http" and allow_http()):
        return _("The address must start with https://.")
    if not parts.hostname:
        return _("The address needs a host name.")
    if parts.username or parts.password:
        return _("Put credentials in the secret fields, not in the address.")
    try:
        port = parts.port or (443 if parts.scheme == "https" else 80)
    except ValueError:
        return _("The address has an invalid port.")
    try:
        checked_addresses(parts.hostname, port)
    except BlockedAddress as exc:
        return str(exc)
    return None


class _CheckedConnectMixin:
    """Open the socket to a checked address of the host, never to an unchecked one."""

    def _new_conn(self):
        try:
            addresses = checked_addresses(self._dns_host, self.port)
        except BlockedAddress as exc:
            raise NewConnectionError(self, f"Refused: {exc}") from exc
        last_error = None
        for address in addresses:
            try:
                sock = socket.create_connection((address, self.port), self.timeout,
                                                source_address=self.source_address)
            except OSError as exc:
                last_error = exc
                continue
            for option in self.socket_options or ():
                sock.setsockopt(*option)
            return sock
        if isinstance(last_error, TimeoutError):
            raise ConnectTimeoutError(self, f"Connection to {self.host} timed out.")
        raise NewConnectionError(self, f"Failed to establish a new connection: {last_error}")


class CheckedHTTPConnection(_CheckedConnectMixin, HTTPConnection):
    pass


class CheckedHTTPSConnection(_CheckedConnectMixin, HTTPSConnection):
    pass


class CheckedHTTPConnectionPool(HTTPConnectionPool):
    ConnectionCls = CheckedHTTPConnection


class CheckedHTTPSConnectionPool(HTTPSConnectionPool):
    ConnectionCls = CheckedHTTPSConnection


class CheckedAdapter(HTTPAdapter):
    """A ``requests`` adapter whose pools connect only to checked addresses."""

    def init_poolmanager(self, *args, **kwargs):
        super().init_poolmanager(*args, **kwargs)
        self.poolmanager.pool_classes_by_scheme = {"http": CheckedHTTPConnectionPool,
                                                   "https": CheckedHTTPSConnectionPool}
        self.poolmanager.key_fn_by_scheme = dict(self.poolmanager.key_fn_by_scheme)


def session(pool_size: int = 10) -> requests.Session:
    """A keep-alive session for one destination: checked connects, no proxies from the
    environment, no redirects (callers pass ``allow_redirects=False``)."""
    http = requests.Session()
    http.trust_env = False  # an environment proxy would connect on our behalf, unchecked
    adapter = CheckedAdapter(pool_connections=1, pool_maxsize=max(1, pool_size),
                             max_retries=0)
    http.mount("https://", adapter)
    if allow_http():
        http.mount("http://", adapter)
    else:
        http.mount("http://", _RefuseAdapter())
    return http


class _RefuseAdapter(HTTPAdapter):
    def send(self, request, **kwargs):
        raise requests.exceptions.InvalidURL("Plain http:// is not allowed for HRIS delivery.")


def is_pem_certificate(text: str) -> bool:
    try:
        x509.load_pem_x509_certificate(text.strip().encode())
    except ValueError:
        return False
    return True


def ca_bundle(pem: str) -> str:
    """A file holding a destination's private CA certificate (``requests`` wants a path)."""
    with tempfile.NamedTemporaryFile("w", suffix=".pem", prefix="hris-ca-",
                                     delete=False) as handle:
        handle.write(pem.strip() + "\n")
    return handle.name


def remove_ca_bundle(path: str) -> None:
    try:
        os.unlink(path)
    except FileNotFoundError:
        pass
