"""`python -m assistant ask` as a user runs it (one subprocess: it loads the model once)."""

from __future__ import annotations

import os
import subprocess
import sys

from assistant.settings import REPO_ROOT


def test_ask_prints_the_units_answer(session_data_dir) -> None:
    env = {**os.environ, "ASSISTANT_DATA_DIR": str(session_data_dir)}
    result = subprocess.run(
        [sys.executable, "-m", "assistant", "ask", "how do I code 2.5 hours subq"],
        capture_output=True, text=True, cwd=REPO_ROOT, timeout=300, env=env,
    )
    assert result.returncode == 0, result.stderr
    assert "96369 x1" in result.stdout
    assert "96370 x1" in result.stdout
    assert "Traceback" not in result.stderr
