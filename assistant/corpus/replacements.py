"""Replacements of terminated HCPCS Level II codes that the HCPCS file does not cross-reference (issue 12 item 1).

The CMS HCPCS file names a replacement in its cross-reference fields (xref1..xref5) for many terminated codes
(C9027 -> J9271); where those fields are empty, this small table names the replacement. Each row is read off the
same CMS file: the old codes' term_dt and the new code's add_dt meet on the same day and the long descriptors name
the same drug in a new billing unit. Units of the new code follow from its own billing unit (dose / unit, rounded
up: Medicare Claims Processing Manual 100-04 Ch 17 section 10), never from the old one.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Replacement:
    """A terminated code, the code(s) to bill instead, and where that comes from."""

    old: str
    new: tuple[str, ...]
    note: str
    source: str


_HCPCS_OCT_2025 = "CMS HCPCS Level II file, October 2025 release"

REPLACEMENTS: dict[str, Replacement] = {
    row.old: row
    for row in (
        *(
            Replacement(
                old, ("J1010",), f"methylprednisolone acetate is billed per 1 mg with J1010 from 2024-04-01 ({old} "
                "billed per " + amount + ")",
                f"{_HCPCS_OCT_2025}: {old} term_dt 2024-03-31; J1010 'Injection, methylprednisolone acetate, 1 mg' "
                "add_dt 2024-04-01",
            )
            for old, amount in (("J1020", "20 mg"), ("J1030", "40 mg"), ("J1040", "80 mg"))
        ),
        Replacement(
            "J2930", ("J2919",), "methylprednisolone sodium succinate is billed per 5 mg with J2919 from 2024-04-01 "
            "(J2930 billed up to 125 mg)",
            f"{_HCPCS_OCT_2025}: J2930 term_dt 2024-03-31; J2919 'Injection, methylprednisolone sodium succinate, "
            "5 mg' add_dt 2024-04-01",
        ),
        Replacement(
            "J1170", ("J1171",), "hydromorphone is billed per 0.1 mg with J1171 from 2024-10-01 (J1170 billed up to "
            "4 mg)",
            f"{_HCPCS_OCT_2025}: J1170 term_dt 2024-09-30; J1171 'Injection, hydromorphone, 0.1 mg' add_dt "
            "2024-10-01",
        ),
        Replacement(
            "J3370", ("J3373",), "vancomycin is billed per 10 mg with J3373 from 2025-07-01 (J3370 billed per 500 mg; "
            "the Mylan and Xellia products have their own codes, J3374 and J3375)",
            f"{_HCPCS_OCT_2025}: J3370 term_dt 2025-06-30; J3373 'Injection, vancomycin hydrochloride, 10 mg' "
            "add_dt 2025-07-01",
        ),
    )
}


def replacement_for(code: str) -> Replacement | None:
    """The sourced replacement of a terminated code from the table above, or None."""
    return REPLACEMENTS.get(code.strip().upper())
