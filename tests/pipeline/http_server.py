"""A real HTTP server on 127.0.0.1 serving editions, for fetching tests."""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@dataclass
class Routes:
    """path -> (status, body, headers); requests seen are kept in `log`."""

    table: dict[str, tuple[int, bytes, dict[str, str]]] = field(default_factory=dict)
    log: list[tuple[str, dict[str, str]]] = field(default_factory=list)


@contextlib.contextmanager
def serving(routes: Routes) -> Iterator[str]:
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            routes.log.append((self.path, dict(self.headers)))
            status, body, headers = routes.table.get(self.path, (404, b"not found", {}))
            if headers.get("ETag") and self.headers.get("If-None-Match") == headers["ETag"]:
                status, body = 304, b""
            self.send_response(status)
            for key, value in headers.items():
                self.send_header(key, value)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
