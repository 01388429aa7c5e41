"""Logging that keeps coders' questions out of the logs.

Uvicorn's access log prints the request line including its query string. Nothing of ours puts a question in a
URL, but a query string is the one place request data could reach a log line, so the access log keeps only the
path. Bodies are never logged anywhere.
"""

from __future__ import annotations

import copy
import logging
from typing import Any


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
