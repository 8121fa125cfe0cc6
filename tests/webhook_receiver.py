"""A real HTTP server on loopback that receives webhooks: it records each request and answers with
the status codes it is told to (200 once the script runs out), or holds a request until released."""

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest


class Receiver:
    def __init__(self):
        self.requests: list[tuple[dict, bytes]] = []
        self.accepted: list[tuple[dict, bytes]] = []
        self.script: list[int] = []
        self.hold_next = False
        self.holding = threading.Event()
        self.release = threading.Event()
        self.arrived = threading.Condition()
        self.url = ""

    def answer(self, headers: dict, body: bytes) -> int:
        with self.arrived:
            self.requests.append((headers, body))
            status = self.script.pop(0) if self.script else 200
            hold, self.hold_next = self.hold_next, False
            if status == 200 and not hold:
                self.accepted.append((headers, body))
            self.arrived.notify_all()
        if hold:
            self.holding.set()
            self.release.wait(timeout=60)  # the sender is killed meanwhile; nothing accepted
            return 503
        return status

    def wait_for(self, n: int, timeout: float = 20) -> list[tuple[dict, bytes]]:
        with self.arrived:
            assert self.arrived.wait_for(lambda: len(self.accepted) >= n, timeout), self.requests
            return list(self.accepted)


@pytest.fixture
def receiver():
    state = Receiver()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):
            body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
            status = state.answer({k.lower(): v for k, v in self.headers.items()}, body)
            self.send_response(status)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    state.url = f"http://127.0.0.1:{server.server_address[1]}/hooks"
    yield state
    state.release.set()
    server.shutdown()
    server.server_close()
