"""The routes the app answers, and nothing else (issue 24 item 5).

Gradio mounts about 90 routes: uploads, `process_recording` (which accepted files), `proxy=`, `file=`, vibe-edit,
run-history, monitoring, login, streaming ... The chat uses a handful: the page and its assets, `/config`, one
`run` call per turn (`queue=False`), and `/gradio_api/info` + the queue for `gradio_client`. `SurfaceMiddleware`
answers 404 to every other method and path before Gradio sees it, so a route a later Gradio version adds is off
too until it is listed here. `tests/web/test_web_surface.py` walks the live route table and asserts exactly these
are served. It also turns a 500 from a Gradio call into 422: the assistant never raises (`ask` answers route
`error`), so a Gradio 500 is a malformed call (bad JSON, wrong data shape), which is the client's error.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterable

from starlette._utils import get_route_path
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from assistant.web.middleware import send_json

# (method, exact path) served.
EXACT: frozenset[tuple[str, str]] = frozenset({
    ("GET", "/"), ("HEAD", "/"),
    ("GET", "/config"), ("GET", "/config/"),
    ("GET", "/theme.css"), ("GET", "/favicon.ico"),
    ("GET", "/gradio.js"),
    ("GET", "/healthz"),
    ("GET", "/openapi.json"), ("HEAD", "/openapi.json"),
    ("POST", "/api/ask"), ("POST", "/api/encounter"), ("POST", "/api/scrub"),
    ("GET", "/gradio_api/info"), ("GET", "/gradio_api/info/"),
    ("POST", "/gradio_api/queue/join"), ("GET", "/gradio_api/queue/data"),
})
# (method, path prefix) served: static files of the page, and the chat's own calls (`run/predict`, `run/chat`).
PREFIXES: tuple[tuple[str, str], ...] = (
    ("GET", "/assets/"), ("GET", "/static/"),
    ("POST", "/gradio_api/run/"),
)
DOCS = frozenset({("GET", "/docs"), ("GET", "/docs/oauth2-redirect")})
GRADIO_CALLS = ("/gradio_api/run/", "/gradio_api/queue/join")

log = logging.getLogger(__name__)


def served(method: str, path: str, extra: Iterable[tuple[str, str]] = ()) -> bool:
    """True when `method path` (the path after the root path) is one the app answers."""
    method = "GET" if method == "HEAD" and ("GET", path) in EXACT and ("HEAD", path) not in EXACT else method
    if (method, path) in EXACT or (method, path) in frozenset(extra):
        return True
    return any(method == allowed and path.startswith(prefix) and ".." not in path for allowed, prefix in PREFIXES)


class SurfaceMiddleware:
    """404 for every route not listed above (any method; websockets closed), and 422 for a Gradio call that made
    Gradio fail (see the module docstring). `api_docs`: also serve Swagger UI at /docs."""

    def __init__(self, app: ASGIApp, api_docs: bool = False) -> None:
        self.app = app
        self.extra = DOCS if api_docs else frozenset()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "websocket":
            await send({"type": "websocket.close", "code": 1008, "reason": "not served"})
            return
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path = get_route_path(scope)
        if not served(scope["method"], path, self.extra):
            await send_json(send, 404, {"detail": "Not Found"})
            return
        if not path.startswith(GRADIO_CALLS):
            await self.app(scope, receive, send)
            return
        state = {"started": False, "replaced": False}
        body = json.dumps({"detail": "Malformed call: check the data sent to the chat's API."}).encode()

        async def refuse() -> None:
            state["replaced"] = True
            await send({"type": "http.response.start", "status": 422,
                        "headers": [(b"content-type", b"application/json"),
                                    (b"content-length", str(len(body)).encode())]})
            await send({"type": "http.response.body", "body": body})

        async def send_checked(message: Message) -> None:
            if message["type"] == "http.response.start":
                if message["status"] >= 500:
                    await refuse()
                    return
                state["started"] = True
            if state["replaced"]:  # the failed response's own body: already replaced
                return
            await send(message)

        try:
            await self.app(scope, receive, send_checked)
        except Exception:  # Gradio raised on the call's data (FnIndexInferError, KeyError ...): the client's error
            log.info("malformed Gradio call to %s refused with 422", path)
            if not state["started"] and not state["replaced"]:
                await refuse()
