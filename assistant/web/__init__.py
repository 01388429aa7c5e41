"""The web app: the Gradio chat and the JSON API in one FastAPI application (`create_app`)."""

from assistant.web.app import create_app

__all__ = ["create_app"]
