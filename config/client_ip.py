"""The address a request comes from, for login lockouts (django-axes) and rate limits (DRF).

`X-Forwarded-For` is written by whoever sends the request, so it is believed only when the
connection itself comes from a proxy listed in `TRUSTED_PROXIES` (addresses or networks). Then the
header is read from the right, the end the proxies appended to, skipping further trusted proxies;
the first address that is not one of them is the client. With no trusted proxies (the default) the
client is the connection's own address, `REMOTE_ADDR`, whatever the headers say.

Both axes (`AXES_CLIENT_IP_CALLABLE`) and every throttle (`config.throttling`) call `client_ip`, so
a lockout and a rate limit can never disagree about who is asking.
"""

import ipaddress
from functools import cache

from django.conf import settings

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


@cache
def _trusted(proxies: tuple[str, ...]) -> tuple[Network, ...]:
    return tuple(ipaddress.ip_network(p, strict=False) for p in proxies)


def trusted_networks() -> tuple[Network, ...]:
    return _trusted(tuple(getattr(settings, "TRUSTED_PROXIES", ())))


def _address(text: str):
    text = text.strip()
    if text.startswith("[") and "]" in text:  # "[::1]:443"
        text = text[1 : text.index("]")]
    elif text.count(":") == 1:  # "203.0.113.9:443"
        text = text.split(":", 1)[0]
    try:
        return ipaddress.ip_address(text)
    except ValueError:
        return None


def is_trusted_proxy(address, networks: tuple[Network, ...]) -> bool:
    return address is not None and any(address in net for net in networks)


def client_ip(request) -> str:
    """The client's address as a string ("" when the connection has none)."""
    remote = request.META.get("REMOTE_ADDR") or ""
    networks = trusted_networks()
    if not networks or not is_trusted_proxy(_address(remote), networks):
        return remote
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    nearest = remote  # the last hop known to be a trusted proxy
    for hop in reversed([h for h in forwarded.split(",") if h.strip()]):
        address = _address(hop)
        if address is None:
            # Not an address: written by the sender, so nothing at or left of it is believed.
            return nearest
        if not is_trusted_proxy(address, networks):
            return str(address)
        nearest = str(address)
    return nearest
