"""Where webhooks may be sent: public HTTPS addresses only, checked again at every delivery.

A webhook URL is an officer-supplied address the server will call, so it must not reach
the council's own network (server-side request forgery). The URL must be https, without
credentials, and its host must resolve only to public (global) addresses; the connection
then goes to the address that was checked, so a DNS answer that changes between the check
and the call cannot redirect it. Redirects are never followed. With the
WEBHOOK_ALLOW_LOOPBACK setting (tests and local development only) http is allowed too and
the host may be the loopback interface; private networks stay refused either way.
"""

from __future__ import annotations

import http.client
import ipaddress
import socket
import ssl
from dataclasses import dataclass
from urllib.parse import urlsplit

from flask import current_app

from surveys.errors import InvalidInput

MAX_URL_LENGTH = 2000
FIELD = "url"


@dataclass(frozen=True)
class Target:
    """A checked destination: the URL's parts and the address to connect to."""

    scheme: str
    host: str
    port: int
    path: str
    address: str


def loopback_allowed() -> bool:
    """Say whether this app may send webhooks to the loopback interface (tests, development)."""
    return bool(current_app.config.get("WEBHOOK_ALLOW_LOOPBACK"))


def _refuse(message: str) -> InvalidInput:
    return InvalidInput("Bad webhook address", {FIELD: message})


def _parts(url: str) -> tuple[str, str, int, str]:
    url = (url or "").strip()
    if not url:
        raise _refuse("Enter the address to send events to")
    if len(url) > MAX_URL_LENGTH or any(ch.isspace() or ord(ch) < 32 for ch in url):
        raise _refuse("Enter a web address, like https://example.org/debrief-events")
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        raise _refuse("Enter a web address, like https://example.org/debrief-events") from None
    if parts.scheme not in ("https", "http") or not parts.hostname:
        raise _refuse("Enter a web address starting with https://")
    if parts.username or parts.password:
        raise _refuse("The address must not contain a user name or password")
    if parts.scheme == "http" and not loopback_allowed():
        raise _refuse("The address must start with https://")
    path = parts.path or "/"
    if parts.query:
        path += "?" + parts.query
    default = 443 if parts.scheme == "https" else 80
    return parts.scheme, parts.hostname, port or default, path


# IPv6 prefixes that carry an IPv4 address in their last 32 bits, which a NAT64 gateway or
# the kernel may turn into a connection to that IPv4 address (RFC 6052, RFC 4291 2.5.5.1).
_NAT64 = ipaddress.ip_network("64:ff9b::/96")
_LOCAL_NAT64 = ipaddress.ip_network("64:ff9b:1::/48")  # RFC 8215: a network's own translator
_IPV4_COMPATIBLE = ipaddress.ip_network("::/96")


def _embedded_ipv4(ip: ipaddress.IPv6Address) -> ipaddress.IPv4Address | None:
    """Return the IPv4 address an IPv6 address stands for (mapped, 6to4, NAT64), if any."""
    if ip.ipv4_mapped is not None:
        return ip.ipv4_mapped
    if ip.sixtofour is not None:
        return ip.sixtofour
    if ip in _NAT64 or ip in _IPV4_COMPATIBLE:
        return ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
    return None


def _allowed(address: str) -> bool:
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address):
        if ip in _LOCAL_NAT64:
            return False  # translated to whatever the local network chooses
        embedded = _embedded_ipv4(ip)
        if embedded is not None:
            # "::" and "::1" are in ::/96 but are IPv6's own unspecified and loopback.
            ip = ip if ip.is_loopback or ip.is_unspecified else embedded
    if ip.is_loopback:
        return loopback_allowed()
    return ip.is_global and not ip.is_multicast


def resolve(url: str) -> Target:
    """Check a webhook URL and pick the address to call (raises InvalidInput, field `url`)."""
    scheme, host, port, path = _parts(url)
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (OSError, UnicodeError):
        raise _refuse(f"The address {host} could not be found") from None
    addresses = sorted({str(info[4][0]) for info in infos})
    if not addresses:
        raise _refuse(f"The address {host} could not be found")
    if not all(_allowed(address) for address in addresses):
        raise _refuse("The address must be on the public internet, not a private network")
    if scheme == "http" and not all(ipaddress.ip_address(a).is_loopback for a in addresses):
        raise _refuse("The address must start with https://")
    return Target(scheme, host, port, path, addresses[0])


def shown_url(url: str) -> str:
    """Return a URL without its query (which may hold the receiver's token), for banners."""
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}{parts.path}"


def check_url(url: str) -> str:
    """Return the URL, stripped, if webhooks may be sent to it (raises InvalidInput)."""
    resolve(url)
    return url.strip()


class _PinnedHTTP(http.client.HTTPConnection):
    """An HTTP connection to the checked address, whatever the host name resolves to now."""

    def __init__(self, target: Target, timeout: float) -> None:
        super().__init__(target.host, target.port, timeout=timeout)
        self._address = target.address

    def connect(self) -> None:
        self.sock = socket.create_connection((self._address, self.port), self.timeout)


class _PinnedHTTPS(http.client.HTTPSConnection):
    """An HTTPS connection to the checked address; the certificate is checked for the host."""

    def __init__(self, target: Target, timeout: float) -> None:
        super().__init__(
            target.host, target.port, timeout=timeout, context=ssl.create_default_context()
        )
        self._address = target.address

    def connect(self) -> None:
        sock = socket.create_connection((self._address, self.port), self.timeout)
        self.sock = self._context.wrap_socket(sock, server_hostname=self.host)


def post(target: Target, body: bytes, headers: dict[str, str], timeout: float) -> int:
    """POST a body to a checked target and return the HTTP status (raises OSError on failure)."""
    kind = _PinnedHTTPS if target.scheme == "https" else _PinnedHTTP
    connection = kind(target, timeout)
    try:
        connection.request("POST", target.path, body=body, headers=headers)
        answer = connection.getresponse()
        answer.read(1024)  # the receiver's body is not kept
        return answer.status
    except http.client.HTTPException as error:
        raise OSError(f"bad HTTP answer ({type(error).__name__})") from error
    finally:
        connection.close()
