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

Built on ``requests`` (already a dependency) with an adapter that connects to the checked
address itself (an IP literal in the URL, the name in ``Host`` and in TLS), through public
extension points only, so it works across the urllib3 and requests versions Open edX pins.
"""
import ipaddress
import os
import socket
import tempfile
from urllib.parse import urlsplit, urlunsplit

import requests
from cryptography import x509
from django.conf import settings
from django.utils.translation import gettext as _
from requests.adapters import HTTPAdapter
from urllib3.exceptions import NewConnectionError


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


class CheckedAdapter(HTTPAdapter):
    """A ``requests`` adapter that sends each request to a checked address of its host.

    The host is resolved once, every address checked (``checked_addresses``), and the
    request sent to the first address that accepts a connection, written into the URL as
    an IP literal, so nothing resolves the name again between check and connect. The
    ``Host`` header keeps the name the receiver expects, and TLS sends that name (SNI) and
    verifies the certificate against it (``server_hostname``).

    Only public, documented extension points are used: ``HTTPAdapter.send`` and
    ``HTTPAdapter.build_connection_pool_key_attributes`` (requests 2.32.3+, meant for
    subclasses), and urllib3's ``server_hostname`` pool argument; nothing depends on how
    urllib3 opens its sockets.
    """

    def send(self, request, **kwargs):
        parts = urlsplit(request.url)
        port = parts.port or (443 if parts.scheme == "https" else 80)
        try:
            addresses = checked_addresses(parts.hostname, port)
        except BlockedAddress as exc:
            raise requests.exceptions.ConnectionError(f"Refused: {exc}",
                                                      request=request) from exc
        failure = None
        for address in addresses:
            pinned = request.copy()
            pinned.url = urlunsplit(parts._replace(netloc=_netloc(address, parts.port)))
            pinned.headers["Host"] = _netloc(parts.hostname, parts.port)
            try:
                response = super().send(pinned, **kwargs)
            except requests.exceptions.ConnectionError as exc:
                if not _not_connected(exc):
                    raise
                failure = exc  # nothing was sent: the next address may answer
                continue
            response.url, response.request = request.url, request
            return response
        raise failure

    def build_connection_pool_key_attributes(self, request, verify, cert=None):
        """The pool of the checked address, its TLS speaking the host's name (SNI and the
        certificate check): one pool per address and name."""
        host_params, pool_kwargs = super().build_connection_pool_key_attributes(
            request, verify, cert)
        if host_params["scheme"] == "https":
            pool_kwargs["server_hostname"] = urlsplit("//" + request.headers["Host"]).hostname
        return host_params, pool_kwargs


def _netloc(host: str, port: int | None) -> str:
    """``host[:port]`` for a URL or a ``Host`` header (IPv6 literals in brackets)."""
    if ":" in host:
        host = "[" + host.replace("%", "%25") + "]"
    return host if port is None else f"{host}:{port}"


def _not_connected(exc: requests.exceptions.ConnectionError) -> bool:
    """Whether the request failed before a connection was made (so it was not sent)."""
    if isinstance(exc, requests.exceptions.ConnectTimeout):
        return True
    cause = exc.args[0] if exc.args else None
    return isinstance(getattr(cause, "reason", cause), NewConnectionError)


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
