"""The tuning / held-out split of the retrieval development questions (issue 22 item 1).

Every question of every set (the bundled set, the HCPCS set and the issue-22 set) belongs to exactly one half,
decided by a hash of its normalised text alone: deterministic, the same on every machine and run, and stable when
questions are added or removed (a question never changes half). Tune ranking rules on the tuning half and look at
its misses; accept a rule only when the held-out half's scores do not fall and at least one rises (issue 22: "accept
a ranking rule only when it helps the held-out half"). `eval.retrieval` prints the misses of the tuning half only.
"""

from __future__ import annotations

import hashlib

TUNING = "tuning"
HELD_OUT = "held-out"
HALVES = (TUNING, HELD_OUT)


def normalised(question: str) -> str:
    """Case and spacing do not move a question to the other half."""
    return " ".join(question.casefold().split())


def half_of(question: str) -> str:
    """TUNING or HELD_OUT: the first byte of the SHA-256 of the normalised text, even or odd."""
    digest = hashlib.sha256(normalised(question).encode("utf-8")).digest()
    return TUNING if digest[0] % 2 == 0 else HELD_OUT
