"""The units rules engine: deterministic, cited unit counts for time- and dose-based codes.

A pure library: it imports only the standard library and pydantic, never the rest of the assistant.

    from assistant.units import calculate, UnitsRequest
    calculate(UnitsRequest(family="subq_infusion", minutes=150)).lines  # 96369 x1, 96370 x1

Every family is declared once in `registry.py` (`REGISTRY`); `FAMILIES`, `FAMILY_NAMES` (how an answer names a
family), `COUNT_FAMILIES`, `TIMED_FAMILIES` and `TIME_RULES` derive from it.
"""

from assistant.units.engine import calculate, calculate_minutes, describe_minutes
from assistant.units.errors import (
    ConflictingTimesError,
    ImpossibleConversionError,
    InvalidCountError,
    InvalidDoseError,
    MissingDetailError,
    MissingDoseUnitError,
    NonPositiveDurationError,
    SameStartEndError,
    TooLongError,
    UnitsError,
    UnknownDoseUnitError,
    UnknownFamilyError,
)
from assistant.units.models import BillableLine, FamilyInfo, MueLimit, MueLookup, UnitsRequest, UnitsResult
from assistant.units.registry import (
    COUNT_FAMILIES,
    FAMILIES,
    FAMILY_NAMES,
    NOUNS,
    REGISTRY,
    TIME_RULES,
    TIMED_FAMILIES,
    Family,
)
from assistant.units.titles import ADD_ON_PRIMARIES, PRIMARY_BILLED_SEPARATELY, TITLES

__all__ = [
    "ADD_ON_PRIMARIES",
    "COUNT_FAMILIES",
    "FAMILIES",
    "FAMILY_NAMES",
    "NOUNS",
    "PRIMARY_BILLED_SEPARATELY",
    "REGISTRY",
    "TIMED_FAMILIES",
    "TIME_RULES",
    "TITLES",
    "BillableLine",
    "Family",
    "ConflictingTimesError",
    "FamilyInfo",
    "ImpossibleConversionError",
    "InvalidCountError",
    "InvalidDoseError",
    "MissingDetailError",
    "MissingDoseUnitError",
    "MueLimit",
    "MueLookup",
    "NonPositiveDurationError",
    "SameStartEndError",
    "TooLongError",
    "UnitsError",
    "UnitsRequest",
    "UnitsResult",
    "UnknownDoseUnitError",
    "UnknownFamilyError",
    "calculate",
    "calculate_minutes",
    "describe_minutes",
]
