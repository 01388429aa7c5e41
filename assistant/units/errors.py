"""Errors the units engine raises. Every message is written for a coder, not a programmer.

All are `UnitsError`, itself a `ValueError`, so a caller can catch one type and show `str(error)`.
"""

from __future__ import annotations


class UnitsError(ValueError):
    """The request cannot be answered as given; the message says what to fix."""


class NonPositiveDurationError(UnitsError):
    """Minutes of zero or less ("an infusion can't last -3 hours")."""


class SameStartEndError(UnitsError):
    """The end time equals the start time: no duration can be derived."""


class TooLongError(UnitsError):
    """More than 24 hours: not one encounter on one date of service."""


class ConflictingTimesError(UnitsError):
    """Minutes and a start/end pair were both given and disagree."""


class MissingDetailError(UnitsError):
    """A detail the rule needs is missing (minutes, patient type, minutes per code, a dose...)."""


class UnknownFamilyError(UnitsError):
    """The family name is not one the engine knows; the message lists the known ones."""


class InvalidCountError(UnitsError):
    """A count (pump set-ups, pushes, injections, minutes per code...) is negative or otherwise impossible."""


class InvalidDoseError(UnitsError):
    """A dose or billing quantity of zero or less."""


class MissingDoseUnitError(UnitsError):
    """A dose was given without its unit (mg, mcg, g, units, mL)."""


class UnknownDoseUnitError(UnitsError):
    """A dose or billing unit the engine cannot read."""


class ImpossibleConversionError(UnitsError):
    """The dose and the billing unit measure different things (mg cannot become mL)."""
