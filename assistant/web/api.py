"""The JSON API: `POST /api/ask` (the `ask` contract) and `GET /healthz`."""

from __future__ import annotations

import functools
import logging
import os
from typing import Any, Literal, Protocol

import anyio
from fastapi import APIRouter
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, Field

from assistant.contract import Answer, AskRequest, CareSetting, Message, Payer
from assistant.settings import Settings

log = logging.getLogger(__name__)

# Questions answered at the same time by the API (more wait in line, in order).
ASK_THREADS = 4 * (os.cpu_count() or 2)


class AskingAssistant(Protocol):
    """What the web layer needs from the Assistant (assistant/chat/assistant.py)."""

    def ask(
        self,
        question: str,
        history: list[Message] | list[dict] | None = None,
        payer: Payer | None = None,
        setting: CareSetting | None = None,
    ) -> Answer: ...


class Health(BaseModel):
    """What `/healthz` reports. `records` and `model` come from the Assistant's `health()` when it has one;
    any other fields it reports (index collection, edits tables) are passed through."""

    model_config = ConfigDict(extra="allow")

    status: Literal["ok", "error"]
    index_loaded: bool = Field(description="The assistant was built and its corpus/index has records.")
    records: int | None = Field(None, description="Code records the assistant answers from.")
    model: str | None = Field(None, description="The embedding model's name.")


def api_router(assistant: AskingAssistant, settings: Settings) -> APIRouter:
    """`POST /api/ask`. The credentials (token or trusted header) are checked for every route by
    `assistant.web.middleware.GuardMiddleware`, not here."""
    router = APIRouter(prefix="/api", tags=["api"])
    limiter = anyio.CapacityLimiter(ASK_THREADS)

    @router.post(
        "/ask",
        response_model=Answer,
        summary="Ask a coding question",
        responses={
            401: {"description": "ASSISTANT_API_TOKEN and/or ASSISTANT_TRUSTED_USER_HEADER is set and the "
                                 "request carries neither a valid bearer token nor the header."},
            413: {"description": "The request body is larger than ASSISTANT_MAX_BODY_BYTES."},
        },
    )
    async def ask(request: AskRequest) -> Answer:
        """Answer one question (with optional history, payer and setting). The answer's Markdown holds the code
        table, the rule applied, its sources and any warnings; `codes`, `citations` and `warnings` carry the same
        facts for programs. Neither the question nor the answer is stored or logged."""
        # In a worker thread, so a slow question never blocks the event loop; at most ASK_THREADS at once: answering
        # is CPU-bound, and 40 threads (the default pool) on 2 cores only fight over the GIL and grow memory
        # (eval.load: peak RSS 1.1 GB with the default pool, 0.7 GB with 8 threads, same throughput).
        # issues 18 and 19: the coverage state and the date of service are passed only when given, so an assistant
        # without them keeps working.
        extra: dict[str, Any] = {"state": request.state} if request.state else {}
        if request.date_of_service is not None:
            extra["date_of_service"] = request.date_of_service
        ask = functools.partial(assistant.ask, **extra) if extra else assistant.ask
        return await anyio.to_thread.run_sync(
            ask, request.question, request.history, request.payer, request.setting, limiter=limiter
        )

    return router


def health_router(assistant: Any) -> APIRouter:
    """`GET /healthz`: open (no token) so a load balancer or the portal can probe it."""
    router = APIRouter(tags=["health"])

    @router.get("/healthz", response_model=Health, responses={503: {"model": Health}})
    def healthz() -> Health | JSONResponse:
        """Whether the assistant is up, with the record count and embedding model it answers from."""
        health = getattr(assistant, "health", None)
        info: dict[str, Any] = {}
        if callable(health):
            try:
                info = dict(health())
            except Exception:  # noqa: BLE001 (a probe must answer; the failure is logged, not raised)
                log.exception("assistant health check failed")
                body = Health(status="error", index_loaded=False)
                return JSONResponse(body.model_dump(), status_code=503)
        records = info.pop("records", None)
        model = info.pop("model", None)
        loaded = info.pop("index_loaded", None)
        if loaded is None:
            loaded = bool(records) if records is not None else True
        return Health(status="ok", index_loaded=bool(loaded), records=records, model=model, **info)

    return router
