"""Getting an edition's bytes from where a source says they are: a URL, a file or a folder.

Fetching is the only network I/O of ingestion and runs before any transaction opens. URLs are
fetched with conditional requests, a size limit and an overall deadline, and may not lead
(directly or by redirect) to any address that is not globally routable unless settings allow
it; each hop's host is resolved once and the connection made to the address that was vetted.
File and folder sources are read only under LEDGER_SOURCE_ROOTS, regular files only.
"""

from __future__ import annotations

import hashlib
import http.client
import ipaddress
import os
import re
import socket
import ssl
import stat
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urljoin, urlsplit

from django.conf import settings


class FetchError(Exception):
    """The source could not be read. `transient` errors are worth retrying later."""

    def __init__(self, reason: str, *, transient: bool = False) -> None:
        super().__init__(reason)
        self.reason, self.transient = reason, transient


@dataclass(frozen=True)
class Fetched:
    data: bytes | None  # None when the server says the edition has not changed
    origin: str
    etag: str = ""
    last_modified: str = ""
    notes: tuple[str, ...] = ()  # what was dropped from the response, for the run

    @property
    def not_modified(self) -> bool:
        return self.data is None


def max_bytes() -> int:
    return int(getattr(settings, "LEDGER_MAX_EDITION_BYTES", 20 * 1024 * 1024))


def _check_size(size: int, origin: str) -> None:
    if size > max_bytes():
        raise FetchError(
            f"{origin} is {size:,} bytes, over the {max_bytes():,}-byte limit for an edition "
            "(LEDGER_MAX_EDITION_BYTES); is this really a report?"
        )


MAX_REDIRECTS = 5
ETAG_CHARS, LAST_MODIFIED_CHARS = 300, 100  # Source.etag, Source.last_modified
_HEADER_VALUE = re.compile(r"[\x20-\x7e]*")


def _allowed(address: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
    """Only globally routable addresses, unless settings allow loopback (tests, a local mirror)
    or private ones. Shared address space (100.64.0.0/10), link-local (cloud metadata),
    multicast and reserved ranges are not global; an IPv4-mapped IPv6 address counts as the
    IPv4 address it carries."""
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped:
        address = address.ipv4_mapped
    if address.is_global and not address.is_multicast:
        return True
    if address.is_loopback:
        return bool(getattr(settings, "LEDGER_FETCH_ALLOW_LOOPBACK", False))
    return bool(getattr(settings, "LEDGER_FETCH_ALLOW_PRIVATE", False))


def _vetted(url: str) -> tuple[str, str, int, str]:
    """(scheme, host, port, address): the URL's host resolved once, every address it resolves
    to allowed; the connection goes to that address, never to a second lookup's answer."""
    parts = urlsplit(url)
    allow_http = getattr(settings, "LEDGER_FETCH_ALLOW_HTTP", False)
    if parts.scheme != "https" and not (allow_http and parts.scheme == "http"):
        raise FetchError(f"Only https URLs are fetched, not {url!r}.")
    if not parts.hostname:
        raise FetchError(f"{url!r} names no host.")
    try:
        port = parts.port or (443 if parts.scheme == "https" else 80)
    except ValueError as exc:
        raise FetchError(f"{url!r} has a bad port.") from exc
    try:
        infos = socket.getaddrinfo(parts.hostname, port, proto=socket.IPPROTO_TCP)
    except socket.gaierror as exc:
        raise FetchError(f"Cannot resolve {parts.hostname}: {exc}", transient=True) from exc
    addresses = [ipaddress.ip_address(str(info[4][0]).split("%")[0]) for info in infos]
    if not addresses:
        raise FetchError(f"Cannot resolve {parts.hostname}.", transient=True)
    for address in addresses:
        if not _allowed(address):
            raise FetchError(
                f"{parts.hostname} resolves to {address}, which is not a public address; "
                "sources must be public (LEDGER_FETCH_ALLOW_PRIVATE permits private ones)."
            )
    return parts.scheme, parts.hostname, port, str(addresses[0])


class _PinnedHTTP(http.client.HTTPConnection):
    """Connects to the vetted address; the Host header still names the host."""

    def __init__(self, host: str, port: int, address: str, timeout: float) -> None:
        super().__init__(host, port, timeout=timeout)
        self.address = address

    def connect(self) -> None:
        self.sock = socket.create_connection((self.address, self.port), self.timeout)


class _PinnedHTTPS(http.client.HTTPSConnection):
    """Connects to the vetted address; SNI and the certificate check use the host's name."""

    def __init__(self, host: str, port: int, address: str, timeout: float) -> None:
        self.tls = ssl.create_default_context()
        super().__init__(host, port, timeout=timeout, context=self.tls)
        self.address = address

    def connect(self) -> None:
        sock = socket.create_connection((self.address, self.port), self.timeout)
        self.sock = self.tls.wrap_socket(sock, server_hostname=self.host)


def _header(value: str | None, limit: int, name: str, notes: list[str]) -> str:
    """A validator header as we can store it: over its column's size or not plain text, it is
    dropped (the next check fetches in full) and the reason kept for the run."""
    value = (value or "").strip()
    if len(value) > limit or not _HEADER_VALUE.fullmatch(value):
        notes.append(
            f"The server's {name} header ({len(value)} characters) was dropped: over {limit} "
            "characters or not plain text; the next check fetches the edition in full."
        )
        return ""
    return value


def fetch_url(
    url: str,
    *,
    etag: str = "",
    last_modified: str = "",
    timeout: float = 30.0,
    deadline: float | None = None,
) -> Fetched:
    """Fetch one edition. Every hop (redirects are followed here, at most MAX_REDIRECTS) is
    resolved once, vetted, and connected to at the vetted address; the whole fetch must end
    within `deadline` seconds (LEDGER_FETCH_DEADLINE), however slowly the server drips."""
    limit = (
        deadline if deadline is not None else float(getattr(settings, "LEDGER_FETCH_DEADLINE", 60))
    )
    ends = time.monotonic() + limit
    current = url
    for _hop in range(MAX_REDIRECTS + 1):
        scheme, host, port, address = _vetted(current)
        left = ends - time.monotonic()
        if left <= 0:
            raise _late(url, limit)
        pinned = _PinnedHTTPS if scheme == "https" else _PinnedHTTP
        connection = pinned(host, port, address, min(timeout, left))
        parts = urlsplit(current)
        target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        headers = {"User-Agent": "IncidentLedger/1", "Accept-Encoding": "identity"}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        try:
            connection.request("GET", target, headers=headers)
            response = connection.getresponse()
            if response.status in (301, 302, 303, 307, 308):
                location = response.getheader("Location")
                if not location:
                    raise FetchError(f"{current} redirects nowhere (HTTP {response.status}).")
                current = urljoin(current, location)
                continue
            if response.status == 304:
                return Fetched(None, url, etag, last_modified)
            if response.status >= 400:
                transient = response.status in (408, 425, 429) or response.status >= 500
                raise FetchError(
                    f"{url} answered HTTP {response.status} {response.reason}.",
                    transient=transient,
                )
            declared = response.getheader("Content-Length")
            if declared and declared.isdigit():
                _check_size(int(declared), url)
            data = _read_within(connection, response, ends, url, limit)
            notes: list[str] = []
            return Fetched(
                data,
                url,
                _header(response.getheader("ETag"), ETAG_CHARS, "ETag", notes),
                _header(
                    response.getheader("Last-Modified"), LAST_MODIFIED_CHARS, "Last-Modified", notes
                ),
                tuple(notes),
            )
        except FetchError:
            raise
        except TimeoutError as exc:
            if time.monotonic() >= ends:
                raise _late(url, limit) from exc
            raise FetchError(f"Cannot reach {url}: timed out.", transient=True) from exc
        except (OSError, http.client.HTTPException) as exc:
            raise FetchError(f"Cannot reach {url}: {exc}.", transient=True) from exc
        finally:
            connection.close()
    raise FetchError(f"{url} redirects more than {MAX_REDIRECTS} times.")


def _late(url: str, limit: float) -> FetchError:
    return FetchError(
        f"{url} did not finish sending within {limit:g} s (LEDGER_FETCH_DEADLINE); cut off."
    )


def _read_within(
    connection: http.client.HTTPConnection,
    response: http.client.HTTPResponse,
    ends: float,
    url: str,
    limit: float,
) -> bytes:
    """The body, at most the byte limit + 1, read in pieces, none past the deadline."""
    chunks, size, cap = [], 0, max_bytes() + 1
    while size < cap:
        left = ends - time.monotonic()
        if left <= 0:
            raise _late(url, limit)
        if connection.sock is not None:
            connection.sock.settimeout(min(left, connection.timeout or left))
        chunk = response.read1(min(65536, cap - size))
        if not chunk:
            break
        chunks.append(chunk)
        size += len(chunk)
    data = b"".join(chunks)
    _check_size(len(data), url)
    return data


def source_roots() -> list[Path]:
    """The folders file and folder sources may read under (LEDGER_SOURCE_ROOTS), resolved."""
    return [Path(root).resolve() for root in getattr(settings, "LEDGER_SOURCE_ROOTS", [])]


def confined(location: str | Path) -> Path:
    """`location` with symlinks resolved, refused unless it lies under a source root.

    Checked when a source is registered (the path need not exist yet) and again on every read,
    so a symlink swapped in later cannot lead outside."""
    path = Path(location)
    if not path.is_absolute():
        raise FetchError(f"A file or folder source needs an absolute path, not {str(location)!r}.")
    real = path.resolve()
    roots = source_roots()
    if not any(real == root or real.is_relative_to(root) for root in roots):
        allowed = ", ".join(map(str, roots)) or "none are configured"
        raise FetchError(
            f"{path} is outside the folders sources may read from (LEDGER_SOURCE_ROOTS: {allowed})."
        )
    return real


def read_bytes(data: bytes, origin: str) -> Fetched:
    """Bytes handed over whole (an admin upload): the same edition byte limit as a file's."""
    _check_size(len(data), origin)
    return Fetched(data, origin)


def read_file(path: str | Path, *, confine: bool = True) -> Fetched:
    """A regular file's bytes, at most the edition byte limit (read limit + 1, never more).

    Devices, FIFOs, sockets and folders are refused before a byte is read: `/dev/zero` never
    ends and a FIFO can deliver past any size it declares. `confine` (sources) also requires
    the file, symlinks resolved, to lie under LEDGER_SOURCE_ROOTS."""
    shown = Path(path)
    real = confined(shown) if confine else shown
    try:
        # O_NONBLOCK: opening a FIFO with no writer must not hang the worker.
        fd = os.open(real, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_NOFOLLOW", 0) * confine)
    except FileNotFoundError as exc:
        raise FetchError(f"No file at {shown}.") from exc
    except IsADirectoryError as exc:
        raise FetchError(f"{shown} is a folder; register it as a folder source.") from exc
    except PermissionError as exc:
        raise FetchError(f"Not allowed to read {shown}.") from exc
    except OSError as exc:
        raise FetchError(f"Cannot open {shown}: {exc.strerror or exc}.") from exc
    try:
        info = os.fstat(fd)
        if stat.S_ISDIR(info.st_mode):
            raise FetchError(f"{shown} is a folder; register it as a folder source.")
        if not stat.S_ISREG(info.st_mode):
            raise FetchError(
                f"{shown} is not a regular file (a device, FIFO or socket); only files are read."
            )
        _check_size(info.st_size, str(shown))
        with os.fdopen(os.dup(fd), "rb") as handle:
            data = handle.read(max_bytes() + 1)
    finally:
        os.close(fd)
    _check_size(len(data), str(shown))
    return Fetched(data, str(shown))


def folder_files(path: str | Path) -> list[Path]:
    """Regular files in a folder source, oldest first: each new file is a new edition."""
    folder = confined(path)
    if not folder.is_dir():
        raise FetchError(f"No folder at {path}.")
    files = [
        p
        for p in folder.iterdir()
        if not p.name.startswith(".") and p.is_file() and not p.is_symlink()
    ]
    return sorted(files, key=lambda p: (p.stat().st_mtime, p.name))


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()
