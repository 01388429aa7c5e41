"""The closed vocabulary every layer shares, declared once: payer, claim setting, administration route and category.

`assistant.contract` re-exports `Payer` and `Setting` for the API and the front ends; the units engine, the encounter
engine, the NCCI edits (`assistant.edits`: a claim setting picks its tables) and the chat's route context use these
types, never a copy. Pure: the standard library only, so the engine stays a leaf library.
"""

from __future__ import annotations

from typing import Literal

# Whose rules count the units: "cpt" (the CPT rule many commercial payers follow) or "medicare" (CMS manuals).
Payer = Literal["cpt", "medicare"]
PAYERS: tuple[Payer, ...] = ("cpt", "medicare")

# The claim: "professional" (the practitioner's claim, CMS-1500) or "facility" (the hospital outpatient claim,
# UB-04). It picks the NCCI tables (practitioner vs outpatient hospital MUE/PTP) and facility-only codes (96376).
Setting = Literal["professional", "facility"]
SETTINGS: tuple[Setting, ...] = ("professional", "facility")

# How a drug or fluid is given, as the drug-administration codes tell them apart (CPT 96360-96379, 96401-96425).
Route = Literal["iv_infusion", "iv_push", "sc_infusion", "injection", "intralesional", "intrathecal"]
ROUTES: tuple[Route, ...] = ("iv_infusion", "iv_push", "sc_infusion", "injection", "intralesional", "intrathecal")

# What is given, as the administration codes group it: chemotherapy and other highly complex drugs (96401-96549),
# other therapeutic, prophylactic or diagnostic drugs (96365-96379), hydration (96360-96361).
Category = Literal["chemotherapy", "therapeutic", "hydration"]
CATEGORIES: tuple[Category, ...] = ("chemotherapy", "therapeutic", "hydration")

__all__ = ["CATEGORIES", "PAYERS", "ROUTES", "SETTINGS", "Category", "Payer", "Route", "Setting"]
