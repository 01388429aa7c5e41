"""`create_app(assistant, settings)`: the Gradio chat at "/", `POST /api/ask` and `GET /healthz` in one app.

Portal embedding: `settings.root_path` (served under a prefix), `settings.cors_origins` (who may call the API from
a browser), `settings.api_token` (bearer token on /api/*), `settings.trusted_user_header` (the portal's proxy
names the signed-in user; the chat refuses requests without it). See docs/web.md.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import gradio as gr
from fastapi import FastAPI, Request
from fastapi.middleware.cors import CORSMiddleware
from fastapi.responses import FileResponse

from assistant.settings import Settings
from assistant.web.api import api_router, health_router
from assistant.web.logs import install_access_log_filter
from assistant.web.middleware import BodySizeLimitMiddleware, RootPathMiddleware
from assistant.web.ui import CSS, THEME, TITLE, build_chat


def trusted_user(header: str):
    """Gradio `auth_dependency`: the user named by the proxy's header, or None (Gradio then answers 401)."""

    def user_from_header(request: Request) -> str | None:
        value = request.headers.get(header, "").strip()
        return value or None

    return user_from_header


# Gradio's loader for the <gradio-app> web component: one line importing the versioned bundle "./assets/index-*.js".
# Served here so a portal embeds the component from this server (offline) instead of Gradio's CDN.
GRADIO_JS = Path(gr.__file__).parent / "templates" / "frontend" / "gradio.js"


def web_component_script() -> FileResponse:
    """The web component loader; its relative import resolves against this URL, next to the chat's assets."""
    return FileResponse(GRADIO_JS, media_type="text/javascript")


def create_app(assistant: Any, settings: Settings | None = None) -> FastAPI:
    """Build the web app around an already-built assistant (anything with `ask(question, history, payer,
    setting) -> Answer`; `health()` is used by /healthz when present). Building is cheap: no model loads here."""
    settings = settings or Settings()
    install_access_log_filter()
    app = FastAPI(
        title=TITLE,
        summary="Cited, reproducible answers to medical-coding questions.",
        version="1",
        # The chat owns "/"; the API docs stay at /docs and /openapi.json.
    )
    # Plain routes first: the Gradio mount at "/" takes every path not matched before it.
    app.include_router(health_router(assistant))
    app.add_api_route("/gradio.js", web_component_script, include_in_schema=False)
    app.include_router(api_router(assistant, settings))

    # Middleware runs outermost-last-added: root path, then CORS (so 401/413 answers carry CORS headers for
    # an allowed origin and the portal's script can read them), then the body limit.
    app.add_middleware(BodySizeLimitMiddleware, max_bytes=settings.max_body_bytes, path_prefix="/api/")
    app.add_middleware(
        CORSMiddleware,
        allow_origins=list(settings.cors_origins),
        allow_methods=["GET", "POST"],
        allow_headers=["Authorization", "Content-Type"],
        allow_credentials=False,
        max_age=600,
    )
    app.add_middleware(RootPathMiddleware, root_path=settings.root_path)

    chat = build_chat(assistant, settings)
    header = settings.trusted_user_header
    root_path = "/" + settings.root_path.strip("/") if settings.root_path.strip("/") else None
    return gr.mount_gradio_app(
        app,
        chat,
        path="/",
        root_path=root_path,
        auth_dependency=trusted_user(header) if header else None,
        theme=THEME,
        css=CSS,
        footer_links=[],
        ssr_mode=False,
        mcp_server=False,
        pwa=False,
        enable_monitoring=False,
        show_error=False,
    )
