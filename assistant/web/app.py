"""`create_app(assistant, settings)`: the Gradio chat at "/", `POST /api/ask` and `GET /healthz` in one app;
`create_app_from_settings()`: the ASGI factory for `uvicorn --factory --workers N` and gunicorn.

Portal embedding: `settings.root_path` (served under a prefix), `settings.cors_origins` (who may call the API from
a browser), `settings.api_token` / `settings.trusted_user_header` (one guard on every route but /healthz; either
credential is enough), `settings.frame_ancestors` (CSP). See docs/web.md.
"""

from __future__ import annotations

import logging
import threading
from pathlib import Path
from typing import Any

import gradio as gr
from fastapi import FastAPI, Request
from fastapi.middleware.cors import CORSMiddleware
from fastapi.responses import Response

from assistant.settings import Settings
from assistant.web.api import api_router, health_router
from assistant.web.component import loader_script
from assistant.web.encounter import encounter_router  # POST /api/encounter (issue 11, ENC)
from assistant.web.limits import ConcurrencyLimitMiddleware
from assistant.web.live import LiveAssistant
from assistant.web.logs import AuditedAssistant, AuditLogMiddleware, audit_logger, install_access_log_filter
from assistant.web.middleware import (
    USER_SCOPE_KEY,
    BodySizeLimitMiddleware,
    GuardMiddleware,
    PeerMiddleware,
    RootPathMiddleware,
    SecurityHeadersMiddleware,
    normalize_prefix,
)
from assistant.web.scrub import scrub_router  # POST /api/scrub (docs/edits.md)
from assistant.web.surface import SurfaceMiddleware
from assistant.web.ui import CSS, HEAD, THEME, TITLE, build_chat

log = logging.getLogger(__name__)


def guarded_user(request: Request) -> str | None:
    """Gradio `auth_dependency`: the user `GuardMiddleware` let in (the trusted header's value, or "api-token" for
    the bearer token). The middleware has already refused requests without credentials; None makes Gradio answer 401.
    """
    user = request.scope.get(USER_SCOPE_KEY)
    return user if isinstance(user, str) and user else None


# Gradio's loader for the <gradio-app> web component: one line importing the versioned bundle "./assets/index-*.js".
# Served here so a portal embeds the component from this server (offline) instead of Gradio's CDN.
GRADIO_JS = Path(gr.__file__).parent / "templates" / "frontend" / "gradio.js"


def web_component_script() -> Response:
    """The web component loader; its relative import resolves against this URL, next to the chat's assets. It
    also loads the bundle's stylesheet from under the prefix (assistant/web/component.py, issue 20 item 6)."""

    return Response(loader_script(), media_type="text/javascript")


def create_app(assistant: Any, settings: Settings | None = None) -> FastAPI:
    """Build the web app around an already-built assistant (anything with `ask(question, history, payer,
    setting) -> Answer`; `health()` is used by /healthz when present). Building is cheap: no model loads here."""
    settings = settings or Settings()
    install_access_log_filter()
    if hasattr(assistant, "corpus") and hasattr(assistant, "settings"):  # a real Assistant (issue 24 item 6):
        assistant = LiveAssistant(assistant)  # new imports and index generations are served without a restart
    assistant = AuditedAssistant(assistant)  # each answer's kind reaches the audit line (never its text)
    # Gradio's temp folder is set inside the data directory before Gradio is imported (assistant/web/__init__.py);
    # uploads and every other file route are refused anyway (SurfaceMiddleware).
    app = FastAPI(
        title=TITLE,
        summary="Cited, reproducible answers to medical-coding questions.",
        version="1",
        # The chat owns "/". Swagger UI loads its scripts from a CDN (blank offline): off unless ASSISTANT_API_DOCS.
        docs_url="/docs" if settings.api_docs else None,
        redoc_url=None,
    )
    # Plain routes first: the Gradio mount at "/" takes every path not matched before it.
    app.include_router(health_router(assistant))
    app.add_api_route("/gradio.js", web_component_script, include_in_schema=False)
    app.include_router(api_router(assistant, settings))
    # Other tabs' routers (one line each) go here, before the Gradio mount; the guard covers them automatically.

    app.include_router(scrub_router(assistant, settings))

    app.include_router(encounter_router(assistant))

    # Middleware runs outermost-last-added. From the outside in: root path (so every other layer sees the same
    # path with or without a proxy's prefix), security headers (on every answer, refusals included), CORS (so
    # 401/413 carry CORS headers for an allowed origin and the portal's script can read them), the guard (before
    # any body is read), then the body limit.
    token = settings.api_token.get_secret_value() if settings.api_token else None
    # Issue 24 item 5: only the routes the chat and the API use (404 for Gradio's ~70 others: upload,
    # process_recording, proxy=, file=, vibe-edit, run-history, monitoring ...), innermost: inside the guard and
    # the body limit (an oversized body is 413 on any path).
    app.add_middleware(SurfaceMiddleware, api_docs=settings.api_docs)
    app.add_middleware(BodySizeLimitMiddleware, max_bytes=settings.max_body_bytes,
                       body_timeout=settings.body_timeout_seconds)
    # Issue 24 item 4: at most max_concurrent_requests answered at once, 503 beyond (inside the guard: a refused
    # request costs nothing and is never counted).
    app.add_middleware(ConcurrencyLimitMiddleware, limit=settings.max_concurrent_requests)
    app.add_middleware(GuardMiddleware, token=token, user_header=settings.trusted_user_header,
                       trusted_proxies=settings.trusted_proxies)
    app.add_middleware(
        CORSMiddleware,
        allow_origins=list(settings.cors_origins),
        allow_methods=["GET", "POST"],
        allow_headers=["Authorization", "Content-Type"],
        allow_credentials=False,
        max_age=600,
    )
    app.add_middleware(SecurityHeadersMiddleware, frame_ancestors=settings.frame_ancestors)
    app.add_middleware(RootPathMiddleware, root_path=settings.root_path)
    # Issue 24: the audit trail (who, when, route, answer kind; never question text), then, outermost, the TCP peer
    # recorded before X-Forwarded-For is applied (only from ASSISTANT_TRUSTED_PROXIES).
    audit_path = settings.audit_log or settings.resolved_data_dir / "logs" / "audit.log"
    app.add_middleware(AuditLogMiddleware, logger=audit_logger(audit_path, settings.audit_log_days))
    app.add_middleware(PeerMiddleware, trusted_proxies=settings.trusted_proxies)

    chat = build_chat(assistant, settings)
    guarded = bool(token or settings.trusted_user_header)
    return gr.mount_gradio_app(
        app,
        chat,
        path="/",
        root_path=normalize_prefix(settings.root_path) or None,
        auth_dependency=guarded_user if guarded else None,
        theme=THEME,
        css=CSS,
        head=HEAD,
        footer_links=[],
        ssr_mode=False,
        mcp_server=False,
        pwa=False,
        enable_monitoring=False,
        show_error=False,
    )


def start_warm_up(assistant: Any) -> threading.Thread | None:
    """Load the embedding model in the background when the retriever can (`retriever.warm_up()`, idempotent and
    thread-safe): units and look-ups answer at once, `/healthz` answers throughout, the first search does not wait
    for a model that is already loading. Returns the thread (None when there is nothing to warm)."""
    warm_up = getattr(getattr(assistant, "retriever", None), "warm_up", None)
    if not callable(warm_up):
        return None

    def run() -> None:
        try:
            warm_up()
            getattr(assistant, "warm_up_diagnoses", lambda: None)()  # issue 18: the diagnosis index
        except Exception:  # noqa: BLE001 (a failed warm-up only means the first search loads the model itself)
            log.exception("background warm-up of the embedding model failed; the first search will load it")

    thread = threading.Thread(target=run, name="assistant-warm-up", daemon=True)
    thread.start()
    return thread


def create_app_from_settings() -> FastAPI:
    """ASGI factory: the Assistant built from `ASSISTANT_*` settings, wrapped in the web app. One per process:

        uvicorn --factory assistant.web.app:create_app_from_settings --workers 2 --port 7860
        gunicorn -w 2 -k uvicorn_worker.UvicornWorker 'assistant.web.app:create_app_from_settings()'

    The chat keeps no per-process state (each turn carries its history from the browser), so the workers need no
    sticky sessions. Build the index once before (`python -m assistant index`) so the workers only read it."""
    from assistant import Assistant

    settings = Settings()
    assistant = Assistant.from_settings(settings)
    start_warm_up(assistant)
    return create_app(assistant, settings)
