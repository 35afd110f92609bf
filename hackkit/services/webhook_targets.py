"""Where a webhook may point: a public http(s) address, never the hub's own network.

A webhook makes the hub send requests to an address an organizer typed, so a careless or
stolen organizer account could aim it at the database, a cloud metadata service
(169.254.169.254) or an admin page on localhost (server-side request forgery). So:
- only http and https, no user name or password in the address;
- the host is resolved and every address it resolves to must be public: private, loopback,
  link-local, multicast, reserved, shared (100.64/10) and unspecified addresses are refused,
  for IPv4 and IPv6 alike, including IPv4 addresses wrapped in IPv6 (::ffff:a.b.c.d, 6to4,
  NAT64), unless the operator allows private targets (HACKKIT_WEBHOOK_ALLOW_PRIVATE=1);
- the check is made again at every delivery and the connection goes to the very address that
  was checked, so a name that resolves to a public address at registration and to an internal
  one later (DNS rebinding) still cannot reach inside.
"""

from __future__ import annotations

import ipaddress
import socket
from dataclasses import dataclass
from urllib.parse import urlsplit

from flask_babel import lazy_gettext as _l

from hackkit.services.errors import Invalid

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
NAT64 = ipaddress.ip_network("64:ff9b::/96")


class RefusedTarget(Invalid):
    """A webhook address the hub will not send to (HTTP 422, as DESIGN.md promises)."""

    status = 422


@dataclass(frozen=True)
class Target:
    scheme: str
    host: str  # as written (a name or an address), for the Host header and TLS
    port: int
    path: str  # path and query, what the request line asks for
    address: str  # the checked IP address to connect to


def _embedded_ipv4(address: IPAddress) -> ipaddress.IPv4Address | None:
    if address.version != 6:
        return None
    if address.ipv4_mapped is not None:
        return address.ipv4_mapped
    if address.sixtofour is not None:
        return address.sixtofour
    if address in NAT64:
        return ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)
    return None


def is_public(address: IPAddress) -> bool:
    inner = _embedded_ipv4(address)
    if inner is not None:
        return is_public(inner)
    return address.is_global and not (address.is_multicast or address.is_reserved or address.is_unspecified)


def parse(url: str) -> tuple[str, str, int, str]:
    """(scheme, host, port, path) of a webhook address; Invalid (400) when it is not one."""
    problem = _l("Give an http:// or https:// address, like https://chat.example.org/hooks/abc.")
    try:
        parts = urlsplit(url.strip())
        port = parts.port
    except ValueError as error:
        raise Invalid(problem, {"url": [problem]}) from error
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise Invalid(problem, {"url": [problem]})
    if parts.username is not None or parts.password is not None:
        message = _l("Leave the user name and password out of the address: the signature tells the receiver it is us.")
        raise Invalid(message, {"url": [message]})
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    return parts.scheme, parts.hostname, port or (443 if parts.scheme == "https" else 80), path


def resolve(url: str, *, allow_private: bool) -> Target:
    """The address to connect to, checked; RefusedTarget (422) when the hub may not send there."""
    scheme, host, port, path = parse(url)
    try:
        candidates = [ipaddress.ip_address(host)]
    except ValueError:
        try:
            found = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
        except (OSError, UnicodeError, ValueError) as error:  # ValueError: a NUL in the name
            message = _l("The host %(host)s cannot be found. Check the address.", host=host)
            raise RefusedTarget(message, {"url": [message]}) from error
        candidates = [ipaddress.ip_address(info[4][0].split("%", 1)[0]) for info in found]
    if not candidates:
        message = _l("The host %(host)s cannot be found. Check the address.", host=host)
        raise RefusedTarget(message, {"url": [message]})
    # One private address among public ones is enough to refuse: which one a client picks is not ours to know.
    if not allow_private and not all(is_public(address) for address in candidates):
        message = _l(
            "%(host)s is a private, loopback or otherwise internal address; webhooks may only go to public "
            "addresses (an operator can allow private ones with HACKKIT_WEBHOOK_ALLOW_PRIVATE=1).",
            host=host,
        )
        raise RefusedTarget(message, {"url": [message]})
    return Target(scheme, host, port, path, str(candidates[0]))
