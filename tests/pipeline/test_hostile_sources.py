"""Sources that try to read what they should not (issue 14): files outside the source roots,
devices and FIFOs, addresses that are not public, a resolver that changes its answer, a server
that drips, headers too long to store. Each is refused or bounded with its reason, the ledger
unchanged. All traffic is on loopback."""

from __future__ import annotations

import os
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from ingestion.fetching import FetchError, fetch_url, read_file
from ingestion.models import Edition, IngestRun, Source
from ingestion.services import IngestError, ingest, source_check, source_register
from ledger import projection
from ledger.models import StoredEvent
from ledger.wiring import projections
from tests.pipeline.editions import render
from tests.pipeline.http_server import Routes, serving

pytestmark = pytest.mark.django_db


def _ledger_unchanged() -> None:
    assert not StoredEvent.objects.filter(type="IncidentRecorded").exists()
    assert projection.verify(projections()) == []


@pytest.mark.parametrize("location", ["/proc/self/environ", "/etc/passwd", "/dev/zero", "/"])
def test_a_file_source_outside_the_source_roots_is_refused_when_registered(location):
    with pytest.raises(IngestError, match="LEDGER_SOURCE_ROOTS"):
        source_register(report_slug="mali", kind="file", location=location)
    assert Source.objects.count() == 0


def test_a_relative_source_path_is_refused_when_registered():
    with pytest.raises(IngestError, match="absolute path"):
        source_register(report_slug="mali", kind="folder", location="samples/../..")


def test_a_symlink_swapped_in_after_registration_is_refused_when_read(tmp_path):
    path = tmp_path / "mali.txt"
    path.write_text(render())
    source = source_register(report_slug="mali", kind="file", location=str(path))
    path.unlink()
    path.symlink_to("/proc/self/environ")
    [summary] = source_check(source=source)
    assert summary["status"] == "failed" and "LEDGER_SOURCE_ROOTS" in summary["error"]
    assert Edition.objects.count() == 0
    _ledger_unchanged()


def test_a_symlink_to_a_device_is_refused_and_nothing_is_read(tmp_path):
    link = tmp_path / "zero.txt"
    link.symlink_to("/dev/zero")
    with pytest.raises(IngestError, match="LEDGER_SOURCE_ROOTS"):
        source_register(report_slug="mali", kind="file", location=str(link))


def test_a_fifo_under_a_source_root_is_refused_as_not_a_regular_file(tmp_path):
    fifo = tmp_path / "edition.txt"
    os.mkfifo(fifo)
    source = source_register(report_slug="mali", kind="file", location=str(fifo))
    [summary] = source_check(source=source)  # returns at once: opening it does not wait
    assert summary["status"] == "failed" and "not a regular file" in summary["error"]
    assert IngestRun.objects.filter(source=source, status="failed").exists()
    _ledger_unchanged()


def test_a_folder_given_as_a_file_source_is_refused(tmp_path):
    (tmp_path / "inner").mkdir()
    source = source_register(report_slug="mali", kind="file", location=str(tmp_path / "inner"))
    [summary] = source_check(source=source)
    assert summary["status"] == "failed" and "folder" in summary["error"]


def test_a_folder_source_skips_fifos_and_symlinks(tmp_path):
    (tmp_path / "edition.txt").write_text(render())
    os.mkfifo(tmp_path / "pipe.txt")
    (tmp_path / "secrets.txt").symlink_to("/etc/passwd")
    source = source_register(report_slug="mali", kind="folder", location=str(tmp_path))
    summaries = source_check(source=source)
    assert [s["status"] for s in summaries] == ["ingested"]
    assert Edition.objects.get().origin.endswith("edition.txt")


def test_the_ingest_command_refuses_a_device_with_its_reason():
    summary = ingest("/dev/zero", "mali", trigger="command", confine=False)
    assert summary.failed and "not a regular file" in (summary.error or "")
    _ledger_unchanged()


def test_a_file_is_read_up_to_the_limit_and_one_byte_more_never_further(settings, tmp_path):
    settings.LEDGER_MAX_EDITION_BYTES = 1000
    big = tmp_path / "big.txt"
    big.write_bytes(b"x" * 5000)
    with pytest.raises(FetchError, match="1,000-byte limit"):
        read_file(big)


# --- the fetcher -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "address",
    [
        "100.64.0.1",  # shared address space (some clouds' metadata)
        "169.254.169.254",  # link-local metadata
        "10.0.0.1",
        "192.168.1.1",
        "127.0.0.1",
        "[::1]",
        "[::ffff:127.0.0.1]",  # IPv4-mapped loopback
        "224.0.0.1",  # multicast
        "240.0.0.1",  # reserved
        "0.0.0.0",
    ],
)
def test_an_address_that_is_not_globally_routable_is_refused_before_connecting(settings, address):
    settings.LEDGER_FETCH_ALLOW_HTTP = True
    with pytest.raises(FetchError, match="not a public address"):
        fetch_url(f"http://{address}:9/edition.txt")


def test_a_redirect_to_an_address_that_is_not_public_is_refused(settings):
    settings.LEDGER_FETCH_ALLOW_HTTP = settings.LEDGER_FETCH_ALLOW_LOOPBACK = True
    routes = Routes({"/a": (302, b"", {"Location": "http://169.254.169.254/latest/meta-data"})})
    with serving(routes) as base, pytest.raises(FetchError, match="not a public address"):
        fetch_url(f"{base}/a")


def test_the_host_is_resolved_once_and_the_connection_goes_to_the_vetted_address(
    settings, monkeypatch
):
    """DNS rebinding: a resolver that answers an allowed address first and another one after.
    The fetcher asks once per hop and connects to what it vetted, naming the host in Host."""
    settings.LEDGER_FETCH_ALLOW_HTTP = settings.LEDGER_FETCH_ALLOW_LOOPBACK = True
    routes = Routes({"/mali.txt": (200, render().encode(), {})})
    real = socket.getaddrinfo
    answers: list[str] = []

    def rebinding(host, port, *args, **kwargs):  # type: ignore[no-untyped-def]
        if host != "edition.example":
            return real(host, port, *args, **kwargs)
        answers.append(host)
        # First the vetted answer; any later lookup would point at a refused address.
        address = "127.0.0.1" if len(answers) == 1 else "10.0.0.1"
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (address, port))]

    monkeypatch.setattr(socket, "getaddrinfo", rebinding)
    with serving(routes) as base:
        port = base.rsplit(":", 1)[1]
        fetched = fetch_url(f"http://edition.example:{port}/mali.txt")
    assert fetched.data == render().encode()
    assert answers == ["edition.example"]
    assert routes.log[0][1]["Host"] == f"edition.example:{port}"


@contextmanager
def _dripping() -> Iterator[str]:
    """A server that sends its headers, then one byte every half second, for ever."""
    stop = threading.Event()

    class Drip(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            self.send_response(200)
            self.send_header("Content-Length", "100000")
            self.end_headers()
            while not stop.is_set():
                try:
                    self.wfile.write(b"x")
                    self.wfile.flush()
                except OSError:
                    return
                time.sleep(0.5)

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Drip)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        stop.set()
        server.shutdown()
        server.server_close()


def test_a_server_dripping_a_byte_at_a_time_is_cut_off_at_the_deadline_and_recorded(settings):
    settings.LEDGER_FETCH_ALLOW_HTTP = settings.LEDGER_FETCH_ALLOW_LOOPBACK = True
    settings.LEDGER_FETCH_DEADLINE = 2
    with _dripping() as base:
        source = source_register(report_slug="mali", kind="url", location=f"{base}/slow.txt")
        [summary] = source_check(source=source)
    assert summary["status"] == "failed" and "LEDGER_FETCH_DEADLINE" in summary["error"]
    run = IngestRun.objects.get(source=source)
    assert run.status == "failed" and "cut off" in run.error
    assert Edition.objects.count() == 0
    _ledger_unchanged()


def test_an_etag_too_long_to_store_is_dropped_with_the_reason_and_the_run_recorded(settings):
    settings.LEDGER_FETCH_ALLOW_HTTP = settings.LEDGER_FETCH_ALLOW_LOOPBACK = True
    routes = Routes({"/mali.txt": (200, render().encode(), {"ETag": '"' + "e" * 400 + '"'})})
    with serving(routes) as base:
        source = source_register(report_slug="mali", kind="url", location=f"{base}/mali.txt")
        [summary] = source_check(source=source)
    assert summary["status"] == "ingested"
    assert any("ETag" in w and "dropped" in w for w in summary["warnings"])
    source.refresh_from_db()
    assert source.etag == "" and source.last_error == ""
    run = IngestRun.objects.get(source=source)
    assert run.status == "ingested"
    assert projection.verify(projections()) == []
