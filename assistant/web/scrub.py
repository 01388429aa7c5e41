"""`POST /api/scrub`: claim lines checked as a whole against the NCCI PTP, MUE (by setting) and add-on edits.

Wired in `assistant/web/app.py` with `app.include_router(scrub_router(assistant, settings))`; the guard and the body
limit of the app cover it like every other route (assistant/web/middleware.py).

Request: `{"lines": "99214-25, 96372, J1885 x4, 36415", "setting": "facility"}` or
`{"lines": [{"code": "99214", "modifiers": ["25"], "units": 1}, ...]}`; `setting` defaults to the server's
`ASSISTANT_DEFAULT_SETTING`. Response: the verdict, a one-line summary, per line its verdict, findings and fix,
notes (tables not loaded), citations, and `answer` (the same result as Markdown, as the chat shows it).
Bad input answers 422 with a message naming the line and the field.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Literal, Protocol

import anyio
from fastapi import APIRouter, HTTPException
from pydantic import BaseModel, ConfigDict, Field

from assistant.chat.edits_chat import scrub_result_answer
from assistant.contract import CareSetting, Setting
from assistant.edits.scrubber import ClaimLine, ScrubResult, claim_lines_from_json, parse_claim_lines
from assistant.settings import Settings

MAX_LINES = 200  # a claim has at most 50 lines (837P) / 450 (837I); 200 keeps one request cheap


class ScrubLineIn(BaseModel):
    """One claim line as JSON."""

    model_config = ConfigDict(extra="forbid")

    code: str
    modifiers: list[str] = Field(default_factory=list)
    units: int = 1


class ScrubRequest(BaseModel):
    """Claim lines as text ("99214-25, 96372, J1885 x4") or as a list of lines, and the claim's setting."""

    model_config = ConfigDict(extra="forbid")

    lines: str | list[ScrubLineIn]
    setting: CareSetting | None = None


class ScrubFinding(BaseModel):
    kind: str
    severity: Literal["pass", "check", "fix", "deny"]
    message: str
    fix: str = ""


class ScrubLineOut(BaseModel):
    code: str
    modifiers: list[str]
    units: int
    verdict: Literal["pass", "check", "fix", "deny"]
    fix: str
    findings: list[ScrubFinding]


class ScrubResponse(BaseModel):
    """The scrub result: `verdict` is the worst line's ("pass" < "check" < "fix" < "deny")."""

    setting: CareSetting
    verdict: Literal["pass", "check", "fix", "deny"]
    summary: str
    lines: list[ScrubLineOut]
    notes: list[str]
    citations: list[str]
    answer: str


class Scrubber(Protocol):
    """What the scrub API needs of the assistant (`assistant.chat.assistant.Assistant.scrub`)."""

    def scrub(self, lines: Sequence[ClaimLine], setting: Setting | None = None) -> ScrubResult: ...


def scrub_router(assistant: Scrubber, settings: Settings) -> APIRouter:
    """`POST /api/scrub` over the assistant's edits store and corpus (`Assistant.scrub`)."""
    router = APIRouter(prefix="/api", tags=["api"])

    @router.post(
        "/scrub",
        response_model=ScrubResponse,
        summary="Check claim lines against NCCI PTP, MUE and add-on edits",
        responses={422: {"description": "The lines could not be read; the message names the line and field."}},
    )
    async def scrub_endpoint(request: ScrubRequest) -> ScrubResponse:
        try:
            if isinstance(request.lines, str):
                lines = parse_claim_lines(request.lines)
                if not lines:
                    raise ValueError('no claim line found; send lines as "99214-25, 96372, J1885 x4"')
            else:
                lines = claim_lines_from_json([line.model_dump() for line in request.lines])
        except ValueError as error:
            raise HTTPException(status_code=422, detail=str(error)) from None
        if len(lines) > MAX_LINES:
            raise HTTPException(status_code=422, detail=f"{len(lines)} lines: at most {MAX_LINES} per request")
        setting = request.setting or settings.default_setting
        result = await anyio.to_thread.run_sync(assistant.scrub, lines, setting)
        data = result.as_dict()
        answer = scrub_result_answer(result, None)
        return ScrubResponse(**data, answer=answer.answer)

    return router
