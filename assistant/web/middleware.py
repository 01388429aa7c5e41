"""Plain ASGI middlewares that wrap every route of the app (issue 13 items 1-3, 6):

- `RootPathMiddleware`: a fixed public prefix ("/coding") whether the proxy strips it or keeps it;
- `SecurityHeadersMiddleware`: nosniff, Referrer-Policy and CSP `frame-ancestors` on every response;
- `GuardMiddleware`: the one guard: with a token and/or a trusted user header configured, every route but
  `/healthz` needs one of them (the chat, its Gradio API and queue, `/api/*`, `/openapi.json`, assets);
- `BodySizeLimitMiddleware`: one body limit on every route (413) and Gradio's file upload turned off.

All are plain ASGI (not `BaseHTTPMiddleware`) so they never buffer a response and add nothing to streaming.
Guarding by middleware (not per route) covers routes added later (the Encounter tab, the scrub API) for free.
"""

from __future__ import annotations

import asyncio
import ipaddress
import json
import secrets
from collections.abc import Iterable

from starlette._utils import get_route_path
from starlette.types import ASGIApp, Message, Receive, Scope, Send

# The scope key where the guard leaves who was let in (the trusted header's user, or "api-token").
USER_SCOPE_KEY = "assistant.user"
# A callback the audit log leaves in the scope: the guard tells it who was let in (issue 24 audit trail).
AUDIT_SCOPE_KEY = "assistant.audit"

# Paths that answer without credentials: a load balancer or the portal must be able to probe the app.
OPEN_PATHS = frozenset({"/healthz"})

# Gradio's file upload routes: the chat takes no files, so they are refused (404) for everyone.
UPLOAD_PATHS = frozenset({"/gradio_api/upload", "/upload", "/gradio_api/upload_progress", "/upload_progress"})


def normalize_prefix(root_path: str) -> str:
    """"coding", "/coding/" -> "/coding"; "" or "/" -> ""."""
    stripped = root_path.strip().strip("/")
    return "/" + stripped if stripped else ""


class RootPathMiddleware:
    """Tells the app it is served under `root_path` (e.g. "/coding"), whether the proxy strips the prefix or not.

    The ASGI scope's `path` must include `root_path`. A proxy that strips the prefix sends "/config"; one that keeps
    it sends "/coding/config". Both become path "/coding/config" with root_path "/coding", so routing (which
    matches the path after root_path) and the chat's own URLs (built from root_path) are the same either way.
    A server-given root_path (uvicorn --root-path) is left alone only when no prefix is configured here.
    """

    def __init__(self, app: ASGIApp, root_path: str) -> None:
        self.app = app
        self.root_path = normalize_prefix(root_path)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if self.root_path and scope["type"] in ("http", "websocket"):
            scope = dict(scope)
            prefix = self.root_path
            path: str = scope.get("path", "/")
            server_root = scope.get("root_path") or ""
            # uvicorn --root-path already prepended it: "/coding/coding/x" when the proxy kept it as well.
            if server_root == prefix and path.startswith(prefix + prefix + "/"):
                path = path[len(prefix):]
            if not (path == prefix or path.startswith(prefix + "/")):
                path = prefix + path
                raw = scope.get("raw_path")
                if isinstance(raw, bytes):
                    scope["raw_path"] = prefix.encode() + raw
            scope["path"] = path
            scope["root_path"] = prefix
        await self.app(scope, receive, send)


def content_security_policy(frame_ancestors: str) -> str:
    """The page's CSP (issue 24 item 5): everything from this server only, nothing from outside. Gradio's page
    needs inline scripts and styles (its config is an inline script), 'unsafe-eval' (it runs the `js=` handlers,
    e.g. the question counter, through `new Function`: without it the page stays blank) and data:/blob: images
    and fonts; no other origin is ever needed (the chat loads nothing from outside, docs/web.md "Privacy")."""
    return "; ".join((
        "default-src 'self'",
        "script-src 'self' 'unsafe-inline' 'unsafe-eval'",
        "style-src 'self' 'unsafe-inline'",
        "img-src 'self' data: blob:",
        "font-src 'self' data:",
        "connect-src 'self'",
        "media-src 'self' data: blob:",
        "worker-src 'self' blob:",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        f"frame-ancestors {frame_ancestors}",
    ))


class SecurityHeadersMiddleware:
    """Adds the security headers to every HTTP response that does not set them itself.

    `X-Content-Type-Options: nosniff` (no MIME sniffing of answers), `Referrer-Policy: same-origin` (the chat's URL
    never leaves the site) and `Content-Security-Policy: frame-ancestors <setting>` (who may frame the chat;
    ASSISTANT_FRAME_ANCESTORS, default 'self'). No X-Frame-Options: it cannot name several portal origins.
    """

    def __init__(self, app: ASGIApp, frame_ancestors: str = "'self'") -> None:
        self.app = app
        ancestors = frame_ancestors.strip() or "'self'"
        self.headers: list[tuple[bytes, bytes]] = [
            (b"x-content-type-options", b"nosniff"),
            (b"referrer-policy", b"same-origin"),
            (b"content-security-policy", content_security_policy(ancestors).encode()),
        ]
        # Swagger UI (/docs, only with ASSISTANT_API_DOCS) loads its scripts from a CDN: framing rule only there.
        self.docs_headers = [*self.headers[:2], (b"content-security-policy", f"frame-ancestors {ancestors}".encode())]

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        headers = self.docs_headers if get_route_path(scope).startswith("/docs") else self.headers

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                present = {name.lower() for name, _ in message.get("headers", ())}
                extra = [(name, value) for name, value in headers if name not in present]
                if extra:
                    message = dict(message)
                    message["headers"] = [*message.get("headers", ()), *extra]
            await send(message)

        await self.app(scope, receive, send_with_headers)


class GuardMiddleware:
    """The one guard in front of every route (issue 13 item 1).

    With neither `token` nor `user_header` configured every request passes. Otherwise a request passes when it
    carries `Authorization: Bearer <token>` (when a token is set) OR a non-blank `<user_header>` (when a header is
    set): either credential is enough where both are set. Only `OPEN_PATHS` (`/healthz`) answer without one.
    Refusals are 401 JSON with `WWW-Authenticate: Bearer` (or a websocket close 1008) and never read the body.
    The user let in is left in `scope["assistant.user"]` for the chat (Gradio's `auth_dependency`).
    """

    def __init__(self, app: ASGIApp, token: str | None, user_header: str | None,
                 open_paths: Iterable[str] = OPEN_PATHS, trusted_proxies: Iterable[str] | None = None) -> None:
        self.app = app
        self.token = token.encode() if token else None
        self.user_header = user_header.strip().lower().encode() if user_header and user_header.strip() else None
        self.open_paths = frozenset(open_paths)
        # Issue 24: the user header is honoured only from these peers (the portal's proxy); None: from any peer.
        self.trusted = None if trusted_proxies is None else TrustedPeers(trusted_proxies)

    @property
    def enabled(self) -> bool:
        return self.token is not None or self.user_header is not None

    def user_of(self, scope: Scope) -> str | None:
        """Who the request's credentials name, or None when it carries none that count."""
        bearer: bytes | None = None
        named: str | None = None
        header = self.user_header if self.trusted is None or self.trusted.contains(peer_of(scope)) else None
        for name, value in scope.get("headers", ()):
            if name == b"authorization" and value[:7].lower() == b"bearer ":
                bearer = value[7:].strip()
            elif header is not None and name == header:
                named = value.decode("latin-1").strip() or None
        if named is not None:
            return named
        # compare_digest: no timing hint about how much of a guessed token was right.
        if self.token is not None and bearer is not None and secrets.compare_digest(bearer, self.token):
            return "api-token"
        return None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] not in ("http", "websocket") or not self.enabled:
            await self.app(scope, receive, send)
            return
        if get_route_path(scope) in self.open_paths:
            await self.app(scope, receive, send)
            return
        user = self.user_of(scope)
        if user is None:
            if scope["type"] == "websocket":
                await send({"type": "websocket.close", "code": 1008, "reason": "credentials required"})
                return
            await send_json(send, 401, {"detail": self.refusal()}, [(b"www-authenticate", b"Bearer")])
            return
        scope = dict(scope)
        scope[USER_SCOPE_KEY] = user
        tell = scope.get(AUDIT_SCOPE_KEY)
        if callable(tell):
            tell(scope)
        await self.app(scope, receive, send)

    def refusal(self) -> str:
        needs = []
        if self.token is not None:
            needs.append("a valid bearer token")
        if self.user_header is not None:
            needs.append(f"the {self.user_header.decode()} header set by the portal's proxy")
        return "This app requires " + " or ".join(needs) + "."


PEER_SCOPE_KEY = "assistant.peer"


def peer_of(scope: Scope) -> str | None:
    """The address of the TCP peer (recorded by PeerMiddleware before proxy headers rewrite `client`)."""
    peer = scope.get(PEER_SCOPE_KEY)
    if isinstance(peer, str):
        return peer
    client = scope.get("client")
    return client[0] if client else None


class TrustedPeers:
    """Addresses and networks ("127.0.0.1", "10.0.0.0/8", "::1"); a name that is not an address matches itself."""

    def __init__(self, entries: Iterable[str]) -> None:
        self.networks: list[ipaddress.IPv4Network | ipaddress.IPv6Network] = []
        self.names: set[str] = set()
        for entry in entries:
            try:
                self.networks.append(ipaddress.ip_network(entry.strip(), strict=False))
            except ValueError:
                self.names.add(entry.strip())

    def contains(self, host: str | None) -> bool:
        if host is None:
            return False
        if host in self.names:
            return True
        try:
            address = ipaddress.ip_address(host)
        except ValueError:
            return False
        return any(address in network for network in self.networks)


class PeerMiddleware:
    """Outermost: records the TCP peer in the scope, then applies X-Forwarded-For/-Proto (uvicorn's
    ProxyHeadersMiddleware) only from the trusted proxies. Serve with uvicorn's own proxy headers off
    (build_server does; `--no-proxy-headers` on the command line), so the peer seen here is the real one."""

    def __init__(self, app: ASGIApp, trusted_proxies: Iterable[str]) -> None:
        from uvicorn.middleware.proxy_headers import ProxyHeadersMiddleware

        self.app = ProxyHeadersMiddleware(app, trusted_hosts=list(trusted_proxies))  # type: ignore[arg-type]

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] in ("http", "websocket") and PEER_SCOPE_KEY not in scope:
            scope = dict(scope)
            client = scope.get("client")
            scope[PEER_SCOPE_KEY] = client[0] if client else None
        await self.app(scope, receive, send)  # type: ignore[arg-type]


class BodySizeLimitMiddleware:
    """Answers 413 to any request whose body is larger than `max_bytes`, on every route (issue 13 item 2), and 404
    to Gradio's upload routes (the chat takes no files; nothing is ever written to a temp folder).

    A declared Content-Length over the limit is refused before anything is read. Otherwise the body (at most
    `max_bytes`) is read first, counting chunked bodies as they arrive, and refused as soon as it passes the limit;
    a body within the limit is handed on unchanged. The body is never logged or echoed.
    """

    def __init__(self, app: ASGIApp, max_bytes: int, disabled_paths: Iterable[str] = UPLOAD_PATHS,
                 body_timeout: float | None = None) -> None:
        self.app = app
        self.max_bytes = max_bytes
        self.disabled_paths = frozenset(disabled_paths)
        # Issue 24 item 4: a body trickled in (one byte a minute) held a connection and a task; the whole body must
        # arrive within body_timeout seconds, else 408.
        self.body_timeout = body_timeout

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = _content_length(scope)
        if declared is not None and declared > self.max_bytes:
            await self._refuse(send)
            return
        if get_route_path(scope) in self.disabled_paths:
            await send_json(send, 404, {"detail": "File upload is turned off: the chat takes no files."})
            return
        if declared == 0 or (declared is None and not _has_chunked_body(scope)):
            await self.app(scope, receive, send)  # no body (GET, HEAD, OPTIONS ...): nothing to count
            return

        # Read the whole body here (the app would anyway) so an oversized one never reaches the app's parser.
        chunks: list[bytes] = []
        size = 0
        deadline = None if self.body_timeout is None else asyncio.get_running_loop().time() + self.body_timeout
        while True:
            try:
                message = await asyncio.wait_for(
                    receive(), None if deadline is None else max(0.0, deadline - asyncio.get_running_loop().time())
                )
            except TimeoutError:
                await send_json(send, 408, {"detail": "The request body did not arrive in time."},
                                [(b"connection", b"close")])
                return
            if message["type"] == "http.disconnect":
                return
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > self.max_bytes:
                await self._refuse(send)
                return
            chunks.append(chunk)
            if not message.get("more_body", False):
                break

        replayed = False

        async def replay() -> Message:
            nonlocal replayed
            if not replayed:
                replayed = True
                return {"type": "http.request", "body": b"".join(chunks), "more_body": False}
            return await receive()  # after the body: wait for the client's disconnect as usual

        await self.app(scope, replay, send)

    async def _refuse(self, send: Send) -> None:
        await send_json(send, 413, {"detail": f"Request body is larger than the {self.max_bytes:,}-byte limit."})


async def send_json(send: Send, status: int, payload: dict, headers: list[tuple[bytes, bytes]] | None = None) -> None:
    """A small JSON response (refusals: 401, 404, 408, 413, 503)."""
    body = json.dumps(payload).encode()
    await send({
        "type": "http.response.start",
        "status": status,
        "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode()),
                    *(headers or [])],
    })
    await send({"type": "http.response.body", "body": body})


def _content_length(scope: Scope) -> int | None:
    for name, value in scope.get("headers", ()):
        if name == b"content-length":
            try:
                return int(value)
            except ValueError:
                return None
    return None


def _has_chunked_body(scope: Scope) -> bool:
    return any(name == b"transfer-encoding" and b"chunked" in value.lower() for name, value in scope.get("headers", ()))
