"""Logging that keeps coders' questions out of the logs.

Uvicorn's access log prints the request line including its query string. Nothing of ours puts a question in a
URL, but a query string is the one place request data could reach a log line, so the access log keeps only the
path. Bodies are never logged anywhere.
"""

from __future__ import annotations

import contextvars
import copy
import json
import logging
from datetime import UTC, datetime
from logging.handlers import TimedRotatingFileHandler
from pathlib import Path
from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from assistant.web.middleware import AUDIT_SCOPE_KEY, PEER_SCOPE_KEY, USER_SCOPE_KEY


class PathOnlyAccessFilter(logging.Filter):
    """Rewrites uvicorn access records so they show the path without its query string."""

    def filter(self, record: logging.LogRecord) -> bool:
        args = record.args
        # uvicorn.access records: (client_addr, method, full_path, http_version, status_code)
        if isinstance(args, tuple) and len(args) == 5 and isinstance(args[2], str):
            record.args = (args[0], args[1], args[2].split("?", 1)[0], args[3], args[4])
        return True


def install_access_log_filter() -> None:
    """Put the path-only filter on the `uvicorn.access` logger (once), however the app is served."""
    access = logging.getLogger("uvicorn.access")
    if not any(isinstance(f, PathOnlyAccessFilter) for f in access.filters):
        access.addFilter(PathOnlyAccessFilter())


def uvicorn_log_config() -> dict[str, Any]:
    """Uvicorn's default logging configuration with the path-only filter on the access log."""
    from uvicorn.config import LOGGING_CONFIG

    config = copy.deepcopy(LOGGING_CONFIG)
    config.setdefault("filters", {})["path_only"] = {"()": PathOnlyAccessFilter}
    config["loggers"]["uvicorn.access"]["filters"] = ["path_only"]
    return config


# --- the audit trail (issue 24 item 5; HIPAA 164.312(b): record and examine activity) -------------------------------
# One JSON line per request: when (UTC), who (the trusted user, "api-token", or "-" when open), the peer address,
# the method, the route (the path, never the query string), the status and, for a question, the answer's kind (its
# route: units, lookup, search, edits, help, error). Never a question, an answer or a body: the log is about who
# did what, and holds no PHI. Rotated at midnight; ASSISTANT_AUDIT_LOG_DAYS files kept.

ANSWER_KINDS: contextvars.ContextVar[list[str] | None] = contextvars.ContextVar("assistant_answer_kinds", default=None)
AUDIT_LOGGER = "assistant.audit"


def record_answer_kind(kind: str) -> None:
    """Called where an answer is made (AuditedAssistant.ask): the request's audit line will carry its kind."""
    kinds = ANSWER_KINDS.get()
    if kinds is not None:
        kinds.append(kind)


class AuditedAssistant:
    """Wraps an assistant so each `ask` leaves its answer's kind (route) for the audit line; nothing else."""

    def __init__(self, assistant: Any) -> None:
        self._assistant = assistant

    def ask(self, *args: Any, **kwargs: Any) -> Any:
        answer = self._assistant.ask(*args, **kwargs)
        kind = getattr(answer, "route", None)
        if isinstance(kind, str):
            record_answer_kind(kind)
        return answer

    def __getattr__(self, name: str) -> Any:  # health(), router, retriever ...: the wrapped assistant's
        return getattr(self._assistant, name)


def audit_logger(path: Path, days: int) -> logging.Logger:
    """The audit logger writing JSON lines to `path`, rotated at midnight UTC, `days` files kept (set up once per
    path; it does not propagate, so the audit lines go only to their file)."""
    logger = logging.getLogger(AUDIT_LOGGER)
    logger.setLevel(logging.INFO)
    logger.propagate = False
    target = str(path)
    if not any(isinstance(h, TimedRotatingFileHandler) and h.baseFilename == target for h in logger.handlers):
        for handler in list(logger.handlers):
            logger.removeHandler(handler)
            handler.close()
        path.parent.mkdir(parents=True, exist_ok=True)
        handler = TimedRotatingFileHandler(target, when="midnight", backupCount=days, encoding="utf-8", utc=True)
        handler.setFormatter(logging.Formatter("%(message)s"))
        logger.addHandler(handler)
    return logger


class AuditLogMiddleware:
    """Writes one audit line per HTTP request (see above). Outermost but the peer recording, so refusals (401, 404,
    413, 503) are recorded too; `who` is what the guard let in."""

    def __init__(self, app: ASGIApp, logger: logging.Logger) -> None:
        self.app = app
        self.logger = logger

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        kinds: list[str] = []
        token = ANSWER_KINDS.set(kinds)
        status = 0
        seen: dict[str, Any] = {}

        async def send_status(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = int(message["status"])
            await send(message)

        def keep_user(inner_scope: Scope) -> None:
            seen["who"] = inner_scope.get(USER_SCOPE_KEY)

        scope = dict(scope)
        scope[AUDIT_SCOPE_KEY] = keep_user
        try:
            await self.app(scope, receive, send_status)
        finally:
            ANSWER_KINDS.reset(token)
            entry = {
                "at": datetime.now(UTC).isoformat(timespec="seconds"),
                "who": seen.get("who") or "-",
                "peer": scope.get(PEER_SCOPE_KEY) or "-",  # the TCP peer (the proxy, behind one)
                "client": (scope.get("client") or ("-",))[0],  # the end user's address a trusted proxy forwarded
                "method": scope.get("method"),
                "route": scope.get("path", "").split("?", 1)[0],
                "status": status,
                "kind": ",".join(kinds) or None,
            }
            self.logger.info(json.dumps(entry, sort_keys=True))
