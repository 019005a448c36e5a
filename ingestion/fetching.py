"""Getting an edition's bytes from where a source says they are: a URL, a file or a folder.

Fetching is the only network I/O of ingestion and runs before any transaction opens. URLs are
fetched with conditional requests, a timeout and a size limit, and may not lead (directly or by
redirect) to private, loopback or link-local addresses unless settings allow it.
"""

from __future__ import annotations

import hashlib
import ipaddress
import socket
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

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


def _check_address(url: str) -> None:
    parts = urlsplit(url)
    allow_http = getattr(settings, "LEDGER_FETCH_ALLOW_HTTP", False)
    if parts.scheme != "https" and not (allow_http and parts.scheme == "http"):
        raise FetchError(f"Only https URLs are fetched, not {url!r}.")
    if not parts.hostname:
        raise FetchError(f"{url!r} names no host.")
    try:
        infos = socket.getaddrinfo(parts.hostname, parts.port or 443, proto=socket.IPPROTO_TCP)
    except socket.gaierror as exc:
        raise FetchError(f"Cannot resolve {parts.hostname}: {exc}", transient=True) from exc
    allow_loopback = getattr(settings, "LEDGER_FETCH_ALLOW_LOOPBACK", False)
    allow_private = getattr(settings, "LEDGER_FETCH_ALLOW_PRIVATE", False)
    for info in infos:
        address = ipaddress.ip_address(info[4][0])
        if address.is_loopback and allow_loopback:
            continue
        if (
            address.is_private
            or address.is_link_local
            or address.is_loopback
            or address.is_reserved
            or address.is_multicast
        ) and not allow_private:
            raise FetchError(
                f"{parts.hostname} resolves to {address}, a private or local address; "
                "sources must be public (LEDGER_FETCH_ALLOW_PRIVATE permits it)."
            )


class _CheckedRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, req, fp, code, msg, headers, newurl):  # type: ignore[no-untyped-def]
        _check_address(newurl)
        return super().redirect_request(req, fp, code, msg, headers, newurl)


def fetch_url(
    url: str, *, etag: str = "", last_modified: str = "", timeout: float = 30.0
) -> Fetched:
    _check_address(url)
    request = urllib.request.Request(url, headers={"User-Agent": "IncidentLedger/1"})
    if etag:
        request.add_header("If-None-Match", etag)
    if last_modified:
        request.add_header("If-Modified-Since", last_modified)
    opener = urllib.request.build_opener(_CheckedRedirects)
    try:
        with opener.open(request, timeout=timeout) as response:
            declared = response.headers.get("Content-Length")
            if declared and declared.isdigit():
                _check_size(int(declared), url)
            data = response.read(max_bytes() + 1)
            _check_size(len(data), url)
            return Fetched(
                data,
                url,
                response.headers.get("ETag", ""),
                response.headers.get("Last-Modified", ""),
            )
    except urllib.error.HTTPError as exc:
        if exc.code == 304:
            return Fetched(None, url, etag, last_modified)
        transient = exc.code in (408, 425, 429) or exc.code >= 500
        raise FetchError(
            f"{url} answered HTTP {exc.code} {exc.reason}.", transient=transient
        ) from exc
    except (urllib.error.URLError, TimeoutError, ConnectionError, OSError) as exc:
        reason = getattr(exc, "reason", exc)
        raise FetchError(f"Cannot reach {url}: {reason}.", transient=True) from exc


def read_file(path: str | Path) -> Fetched:
    path = Path(path)
    try:
        _check_size(path.stat().st_size, str(path))
        return Fetched(path.read_bytes(), str(path))
    except FileNotFoundError as exc:
        raise FetchError(f"No file at {path}.") from exc
    except IsADirectoryError as exc:
        raise FetchError(f"{path} is a folder; register it as a folder source.") from exc
    except PermissionError as exc:
        raise FetchError(f"Not allowed to read {path}.") from exc


def folder_files(path: str | Path) -> list[Path]:
    """Files in a folder source, oldest first: each new file is a new edition."""
    folder = Path(path)
    if not folder.is_dir():
        raise FetchError(f"No folder at {folder}.")
    files = [p for p in folder.iterdir() if p.is_file() and not p.name.startswith(".")]
    return sorted(files, key=lambda p: (p.stat().st_mtime, p.name))


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()
