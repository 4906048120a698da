"""Shared steps of the HRIS delivery tests: a destination, the simulator, reading it back."""
import contextlib
import json
import urllib.request

from credential_app import hris_secrets
from credential_app.connectors import standard_webhooks
from credential_app.connectors.base import Connector, RecordOutcome
from credential_app.hris_simulator import HrisSimulator
from credential_app.models import HrisDestination

SECRET = "whsec_" + "MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
OLD_SECRET = "whsec_" + "c2VjcmV0LXRoYXQtd2FzLXJvdGF0ZWQtYXdheS0xMjM0NTY="
PRIVATE_KEY, PUBLIC_KEY = standard_webhooks.new_key_pair()


@contextlib.contextmanager
def running_simulator(store_path, trusted=(SECRET, PUBLIC_KEY), **tls):
    server = HrisSimulator(store_path=str(store_path), trusted=list(trusted), **tls)
    server.start_in_thread()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()


def make_destination(url, *, secrets=(SECRET,), **fields) -> HrisDestination:
    values = {"name": "Acme HR", "url": url, "timeout_seconds": 5, "batch_size": 10,
              "concurrency": 4, "rate_limit_per_minute": 6000, "retry_base_seconds": 1,
              "retry_max_seconds": 5, **fields}
    destination = HrisDestination(**values)
    hris_secrets.store(destination, {"signing_secrets": "\n".join(secrets)})
    destination.save()
    return destination


def get_json(url):
    with urllib.request.urlopen(url, timeout=10) as response:  # noqa: S310 - loopback test server
        return json.loads(response.read())


def set_faults(base_url, **faults):
    request = urllib.request.Request(base_url.rstrip("/") + "/_faults",
                                     data=json.dumps(faults).encode(), method="POST")
    with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310
        return json.loads(response.read())


class RecordingConnector(Connector):
    """A test plug-in: answers what ``answer`` says, remembers what it was given."""

    label = "Recording (tests)"
    answer = staticmethod(lambda record: RecordOutcome(message_id=record.message_id,
                                                       delivered=True, status_code=200))
    batches = []

    def deliver(self, records):
        type(self).batches.append(list(records))
        return [type(self).answer(record) for record in records]


def certificate_authority(directory, *, names=("localhost",), ips=("127.0.0.1",)):
    """A private CA and a server certificate it signed for ``names``/``ips``: returns
    (CA certificate PEM, server certificate path, server key path)."""
    import datetime
    import ipaddress

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    def name(text):
        return x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, text)])

    now = datetime.datetime.now(datetime.UTC)
    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca = (x509.CertificateBuilder().subject_name(name("Test HR CA")).issuer_name(name("Test HR CA"))
          .public_key(ca_key.public_key()).serial_number(x509.random_serial_number())
          .not_valid_before(now - datetime.timedelta(minutes=5))
          .not_valid_after(now + datetime.timedelta(days=1))
          .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
          .sign(ca_key, hashes.SHA256()))
    key = ec.generate_private_key(ec.SECP256R1())
    alt = [x509.DNSName(n) for n in names] + [x509.IPAddress(ipaddress.ip_address(i))
                                                for i in ips]
    cert = (x509.CertificateBuilder().subject_name(name(names[0])).issuer_name(ca.subject)
            .public_key(key.public_key()).serial_number(x509.random_serial_number())
            .not_valid_before(now - datetime.timedelta(minutes=5))
            .not_valid_after(now + datetime.timedelta(days=1))
            .add_extension(x509.SubjectAlternativeName(alt), critical=False)
            .sign(ca_key, hashes.SHA256()))
    cert_path, key_path = directory / "server.pem", directory / "server.key"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(key.private_bytes(serialization.Encoding.PEM,
                                           serialization.PrivateFormat.PKCS8,
                                           serialization.NoEncryption()))
    return ca.public_bytes(serialization.Encoding.PEM).decode(), str(cert_path), str(key_path)
