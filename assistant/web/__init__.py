"""The web app: the Gradio chat and the JSON API in one FastAPI application (`create_app`)."""

import os

# Before Gradio is imported (issue 24 item 5): Gradio reads GRADIO_TEMP_DIR once, at import, into module constants
# (route_utils, mcp, screen recording). Its temp folder goes inside the data directory, never the system /tmp.
if "GRADIO_TEMP_DIR" not in os.environ:
    from assistant.settings import Settings

    os.environ["GRADIO_TEMP_DIR"] = str(Settings().data_dir.expanduser().resolve() / "gradio-tmp")

from assistant.web.app import create_app  # noqa: E402 (after the temp folder is set)

__all__ = ["create_app"]
