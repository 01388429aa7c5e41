"""Helpers for the units engine tests: run a request and read its lines as {code: units}."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from assistant.units import UnitsRequest, UnitsResult, calculate


def billed_lines(result: UnitsResult) -> dict[str, int]:
    """The result's lines as {code: units}, in order."""
    return {line.code: line.units for line in result.lines}


@pytest.fixture
def calc() -> Callable[..., UnitsResult]:
    """calc(family=..., minutes=..., ...) -> UnitsResult."""

    def run(**fields: object) -> UnitsResult:
        return calculate(UnitsRequest(**fields))

    return run


@pytest.fixture
def billed() -> Callable[..., dict[str, int]]:
    """billed(family=..., minutes=..., ...) -> {code: units}."""

    def run(**fields: object) -> dict[str, int]:
        return billed_lines(calculate(UnitsRequest(**fields)))

    return run
