"""Check public addresses: HTTP status, final address after redirects, content type.

Standard library only. Each address is requested with HEAD (GET when HEAD is refused or fails),
with a bounded timeout per connection and read, following at most ``max_redirects`` redirects
by hand so that every hop is checked again. Only http and https are requested, and unless
``allow_private`` is set, a host that resolves to a private, loopback, link-local, multicast or
reserved address is refused; the connection goes to the address that was checked (never a second
resolution), so a name cannot be made to point inside the network between check and request.
Many addresses are checked by a bounded thread pool, optionally within an overall time budget
(addresses not started by then are left for the next check). Thai domain names are sent in their
IDNA form and Thai paths percent-encoded, as a browser does.
"""

import http.client
import ipaddress
import socket
import ssl
import time
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from urllib.parse import quote, urljoin, urlsplit

REDIRECTS = {301, 302, 303, 307, 308}
URL_SAFE = "/%:@&=+$,;~!*'()?[]"  # characters a path or query keeps as they are
USER_AGENT = "ITA-Portal-link-check/1.0"

NOT_HTTP = "รองรับเฉพาะที่อยู่ http:// หรือ https://"
NO_HOST = "ที่อยู่ไม่มีชื่อโดเมน"
NOT_RESOLVED = "ไม่พบชื่อโดเมนนี้"
PRIVATE = "ไม่ตรวจที่อยู่ในเครือข่ายภายในหรือเครื่องตนเอง"
TIMEOUT = "หมดเวลารอการตอบกลับ"
TOO_MANY_REDIRECTS = "เปลี่ยนเส้นทางมากเกินไป"
UNREACHABLE = "เชื่อมต่อไม่ได้"


@dataclass(frozen=True)
class LinkResult:
    """What one address answered: status (None when no answer), final address, type, error."""

    url: str
    status: int | None
    final_url: str
    content_type: str = ""
    error: str = ""


@dataclass(frozen=True)
class CheckOptions:
    """Bounds of a check: seconds per connection or read, redirects followed, private hosts."""

    timeout: float = 10.0
    max_redirects: int = 5
    allow_private: bool = False


class _Refused(Exception):
    """The address is not requested; the message is Thai."""


def _is_public(address: str) -> bool:
    ip = ipaddress.ip_address(address)
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped:
        ip = ip.ipv4_mapped
    return ip.is_global and not ip.is_multicast


def _resolve(host: str, port: int, options: CheckOptions) -> str:
    """One address of the host that may be requested (all of its addresses must pass)."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as exc:
        raise _Refused(NOT_RESOLVED) from exc
    addresses = [info[4][0] for info in infos]
    if not addresses:
        raise _Refused(NOT_RESOLVED)
    if not options.allow_private and not all(_is_public(a) for a in addresses):
        raise _Refused(PRIVATE)
    return addresses[0]


class _PinnedHTTP(http.client.HTTPConnection):
    """An HTTP connection to an address already checked, under the host's name."""

    def __init__(self, host: str, port: int, address: str, timeout: float):
        super().__init__(host, port, timeout=timeout)
        self._address = address

    def connect(self) -> None:
        self.sock = socket.create_connection((self._address, self.port), self.timeout)


class _PinnedHTTPS(http.client.HTTPSConnection):
    """An HTTPS connection to an address already checked; the certificate is checked by name."""

    def __init__(self, host: str, port: int, address: str, timeout: float):
        super().__init__(host, port, timeout=timeout, context=ssl.create_default_context())
        self._address = address

    def connect(self) -> None:
        sock = socket.create_connection((self._address, self.port), self.timeout)
        self.sock = self._context.wrap_socket(sock, server_hostname=self.host)


def _request(url: str, method: str, options: CheckOptions) -> tuple[int, str, str]:
    """(status, Location header, Content-Type header) of one request, without following."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https"):
        raise _Refused(NOT_HTTP)
    if not parts.hostname:
        raise _Refused(NO_HOST)
    port = parts.port or (443 if parts.scheme == "https" else 80)
    try:
        host = parts.hostname.encode("idna").decode("ascii")
    except UnicodeError as exc:
        raise _Refused(NOT_RESOLVED) from exc
    address = _resolve(host, port, options)
    kind = _PinnedHTTPS if parts.scheme == "https" else _PinnedHTTP
    connection = kind(host, port, address, options.timeout)
    path = quote(parts.path or "/", safe=URL_SAFE)
    if parts.query:
        path += "?" + quote(parts.query, safe=URL_SAFE)
    try:
        connection.request(method, path, headers={"User-Agent": USER_AGENT, "Accept": "*/*"})
        response = connection.getresponse()
        return (
            response.status,
            response.getheader("Location", ""),
            response.getheader("Content-Type", ""),
        )
    finally:
        connection.close()


def _one_hop(url: str, options: CheckOptions) -> tuple[int, str, str]:
    """HEAD, then GET when HEAD fails or answers an error (many servers refuse HEAD)."""
    try:
        answer = _request(url, "HEAD", options)
        if answer[0] < 400:
            return answer
    except TimeoutError:
        raise  # a server that does not answer HEAD in time is not asked again
    except (OSError, http.client.HTTPException):
        pass
    return _request(url, "GET", options)


def check_url(url: str, options: CheckOptions) -> LinkResult:
    """Request the address and follow its redirects; never raises."""
    current = url
    try:
        for _hop in range(options.max_redirects + 1):
            status, location, content_type = _one_hop(current, options)
            if status in REDIRECTS and location:
                current = urljoin(current, location)
                continue
            return LinkResult(url, status, current, content_type[:200])
        return LinkResult(url, None, current, error=TOO_MANY_REDIRECTS)
    except _Refused as exc:
        return LinkResult(url, None, current, error=str(exc))
    except TimeoutError:
        return LinkResult(url, None, current, error=TIMEOUT)
    except (OSError, http.client.HTTPException, ValueError) as exc:
        return LinkResult(url, None, current, error=f"{UNREACHABLE}: {type(exc).__name__}")


def check_urls(
    urls: Iterable[str], options: CheckOptions, workers: int = 4, budget: float | None = None
) -> list[LinkResult | None]:
    """Check many addresses with at most ``workers`` at a time, in the order given. With a
    ``budget`` in seconds, an address not started within it is not requested (None)."""
    urls = list(urls)
    if not urls:
        return []
    deadline = None if budget is None else time.monotonic() + budget

    def one(url: str) -> LinkResult | None:
        if deadline is not None and time.monotonic() >= deadline:
            return None
        return check_url(url, options)

    with ThreadPoolExecutor(max_workers=max(1, min(workers, len(urls)))) as pool:
        return list(pool.map(one, urls))
