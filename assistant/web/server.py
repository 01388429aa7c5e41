"""Serve the web app with uvicorn: build the Assistant once, then announce the address when it listens."""

from __future__ import annotations

import argparse
import socket
import sys
from collections.abc import Sequence
from typing import Any

import uvicorn

from assistant.settings import Settings
from assistant.web.limits import protocol_with_header_timeout


class _AnnouncingServer(uvicorn.Server):
    """A uvicorn server that prints the ready line once its sockets listen (scripts and tests wait for it)."""

    prefix = ""

    async def startup(self, sockets: list[socket.socket] | None = None) -> None:
        await super().startup(sockets)
        if self.should_exit or not self.servers:
            return
        port = self.config.port
        for server in self.servers:  # port 0 asks the OS for a free port: report the real one
            for sock in server.sockets:
                port = sock.getsockname()[1]
                break
        print(f"Coding assistant ready at http://{self.config.host}:{port}{self.prefix}/", flush=True)


def uvicorn_config(app: Any, settings: Settings) -> uvicorn.Config:
    """The uvicorn configuration of `app` under `settings`: the limits of docs/security.md (issue 24 item 4)."""
    from assistant.web.logs import uvicorn_log_config

    return uvicorn.Config(
        app,
        host=settings.host,
        port=settings.port,
        # No uvicorn root_path: RootPathMiddleware applies ASSISTANT_ROOT_PATH whether the proxy strips the prefix
        # or keeps it (uvicorn's would prepend it to a kept prefix a second time: 404 on every path).
        log_config=uvicorn_log_config(),
        # Proxy headers are applied by the app itself (PeerMiddleware), only from ASSISTANT_TRUSTED_PROXIES, after
        # recording the real peer: the trusted user header counts only from those peers (issue 24).
        proxy_headers=False,
        server_header=False,
        # Keep idle connections open longer than a portal proxy does (nginx keepalive_timeout defaults to 75 s):
        # with uvicorn's 5 s default, a proxy or client reusing a connection just as the server closes it gets a
        # reset instead of an answer.
        timeout_keep_alive=settings.keep_alive_seconds,
        # Issue 24 item 4 (docs/security.md): request headers within header_timeout_seconds or the connection is
        # closed; at most max_connections open connections (uvicorn answers 503 beyond), under systemd's LimitNOFILE.
        http=protocol_with_header_timeout(settings.header_timeout_seconds),
        limit_concurrency=settings.max_connections,
    )


def build_server(settings: Settings) -> uvicorn.Server:
    """The Assistant (built once: corpus, index, edits) wrapped in the web app and a configured uvicorn server.
    The embedding model loads in the background (`start_warm_up`): units and look-ups answer at once."""
    from assistant import Assistant
    from assistant.web.app import create_app, start_warm_up
    from assistant.web.middleware import normalize_prefix

    assistant = Assistant.from_settings(settings)
    start_warm_up(assistant)
    app = create_app(assistant, settings)
    config = uvicorn_config(app, settings)
    server = _AnnouncingServer(config)
    server.prefix = normalize_prefix(settings.root_path)
    return server


def main(argv: Sequence[str] | None = None) -> int:
    """`python app.py [--host H] [--port P]`: serve until interrupted. Other options: ASSISTANT_* settings."""
    parser = argparse.ArgumentParser(description="Serve the coding assistant's chat and JSON API.")
    parser.add_argument("--host", help="bind address (default ASSISTANT_HOST or 127.0.0.1)")
    parser.add_argument("--port", type=int, help="port (default ASSISTANT_PORT or 7860; 0 picks a free one)")
    args = parser.parse_args(argv)
    overrides = {name: value for name, value in (("host", args.host), ("port", args.port)) if value is not None}
    settings = Settings(**overrides)
    print(f"Loading the assistant (data in {settings.resolved_data_dir}) ...", file=sys.stderr, flush=True)
    build_server(settings).run()
    return 0
