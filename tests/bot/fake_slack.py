"""A fake Slack Web API on 127.0.0.1 that records every call, as bolt-python's tests do.

Point the bot's WebClient at `FakeSlack.api_url` and put `FakeSlack.response_url(...)` in
the payloads; then assert on `calls`. `fail(...)` answers `ok: false`, `rate_limit(...)`
answers HTTP 429 with `Retry-After`, and `down()` answers 503 to everything.
"""

from __future__ import annotations

import json
import threading
import time
from collections import defaultdict, deque
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs

BOT_USER_ID = "UBOTUSER"


@dataclass
class Call:
    """One request the bot made: the API method (or response-URL path) and its body."""

    method: str
    body: dict[str, Any]
    headers: dict[str, str] = field(default_factory=dict)

    def blocks(self) -> list[dict[str, Any]]:
        return self.body.get("blocks") or []

    def text(self) -> str:
        """Return every piece of text in the call (fallback text and blocks), joined."""
        found: list[str] = []

        def walk(node: Any) -> None:
            if isinstance(node, dict):
                for key, value in node.items():
                    if key == "text" and isinstance(value, str):
                        found.append(value)
                    else:
                        walk(value)
            elif isinstance(node, list):
                for item in node:
                    walk(item)

        walk({k: v for k, v in self.body.items() if k in ("text", "blocks", "view")})
        return "\n".join(found)


class FakeSlack:
    """A threaded HTTP server standing in for slack.com/api and response URLs."""

    def __init__(self) -> None:
        self.calls: list[Call] = []
        self.users: dict[str, dict[str, Any]] = {}
        self._scripted: dict[str, deque[tuple[int, dict[str, str], dict[str, Any]]]] = defaultdict(
            deque
        )
        self._down = False
        self._lock = threading.Lock()
        self._views = 0
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler_class())
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )

    # ------------------------------------------------------------------ life cycle
    def start(self) -> FakeSlack:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()

    @property
    def base(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    @property
    def api_url(self) -> str:
        return self.base + "/api/"

    def response_url(self, name: str = "commands") -> str:
        return f"{self.base}/respond/{name}"

    # ------------------------------------------------------------------ scripting
    def add_user(self, user_id: str, email: str | None, **extra: Any) -> None:
        self.users[user_id] = {"id": user_id, "profile": {"email": email}, **extra}

    def fail(self, method: str, error: str = "internal_error", times: int = 1) -> None:
        for _ in range(times):
            self._scripted[method].append((200, {}, {"ok": False, "error": error}))

    def rate_limit(self, method: str, times: int = 1, retry_after: int = 1) -> None:
        for _ in range(times):
            headers = {"Retry-After": str(retry_after)}
            self._scripted[method].append((429, headers, {"ok": False, "error": "ratelimited"}))

    def down(self, is_down: bool = True) -> None:
        self._down = is_down

    # ------------------------------------------------------------------ assertions
    def calls_to(self, method: str) -> list[Call]:
        with self._lock:
            return [c for c in self.calls if c.method == method]

    def wait_for(self, method: str, count: int = 1, timeout: float = 10.0) -> list[Call]:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            found = self.calls_to(method)
            if len(found) >= count:
                return found
            time.sleep(0.01)
        raise AssertionError(f"expected {count} call(s) to {method}, got {self.calls_to(method)}")

    def methods(self) -> list[str]:
        with self._lock:
            return [c.method for c in self.calls]

    # ------------------------------------------------------------------ answers
    def _answer(self, method: str, body: dict[str, Any]) -> tuple[int, dict[str, str], dict]:
        if self._down:
            return 503, {}, {"ok": False, "error": "service_unavailable"}
        with self._lock:
            if self._scripted[method]:
                return self._scripted[method].popleft()
        if method == "auth.test":
            return 200, {}, {"ok": True, "user_id": BOT_USER_ID, "bot_id": "BBOT", "team_id": "T1"}
        if method == "users.info":
            user = self.users.get(str(body.get("user")))
            if user is None:
                return 200, {}, {"ok": False, "error": "user_not_found"}
            return 200, {}, {"ok": True, "user": user}
        if method in ("views.open", "views.update", "views.push", "views.publish"):
            with self._lock:
                self._views += 1
                number = self._views
            view = dict(body.get("view") or {})
            view.update(id=body.get("view_id") or f"V{number:04d}", hash=f"hash-{number}")
            return 200, {}, {"ok": True, "view": view}
        if method == "conversations.open":
            return 200, {}, {"ok": True, "channel": {"id": "D" + str(body.get("users"))}}
        if method == "chat.postMessage":
            return 200, {}, {"ok": True, "channel": body.get("channel"), "ts": "1700000000.0001"}
        return 200, {}, {"ok": True}

    def _handler_class(self) -> type[BaseHTTPRequestHandler]:
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 (http.server's naming)
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length).decode("utf-8")
                body = _parse(raw, self.headers.get("Content-Type") or "")
                if self.path.startswith("/api/"):
                    method = self.path[len("/api/") :].split("?")[0]
                else:
                    method = self.path
                with fake._lock:
                    fake.calls.append(Call(method, body, dict(self.headers.items())))
                if method.startswith("/respond/"):
                    status, headers, answer = 200, {}, None
                    if fake._down:
                        status = 503
                else:
                    status, headers, answer = fake._answer(method, body)
                payload = b"ok" if answer is None else json.dumps(answer).encode()
                self.send_response(status)
                self.send_header(
                    "Content-Type", "text/plain" if answer is None else "application/json"
                )
                for key, value in headers.items():
                    self.send_header(key, value)
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

            def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
                return

        return Handler


def _parse(raw: str, content_type: str) -> dict[str, Any]:
    if "json" in content_type:
        return json.loads(raw or "{}")
    body: dict[str, Any] = {k: v[0] for k, v in parse_qs(raw).items()}
    for key in ("blocks", "view", "attachments"):
        if isinstance(body.get(key), str):
            try:
                body[key] = json.loads(body[key])
            except ValueError:
                pass
    return body
