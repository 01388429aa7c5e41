"""Serve the web app with uvicorn. Placeholder until the web issue lands: a health endpoint only."""

from __future__ import annotations

from assistant.settings import Settings


def main() -> int:
    import uvicorn
    from fastapi import FastAPI

    settings = Settings()
    app = FastAPI(title="Coding assistant")

    @app.get("/healthz")
    def healthz() -> dict:
        return {"ok": True}

    print(f"Coding assistant ready at http://{settings.host}:{settings.port}/", flush=True)
    uvicorn.run(app, host=settings.host, port=settings.port)
    return 0
