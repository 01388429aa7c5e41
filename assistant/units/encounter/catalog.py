"""Data for the encounter engine: short code titles (our own words) and default drug categories with sources.

Categories are defaults only: since Dec 2023 Medicare contractors may not downcode 96401-96549 "based solely on
the specific drug" (TDL 12397; CR 13468), so every derived category is stated in the answer (encounters.md A7).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType

TITLES: Mapping[str, str] = MappingProxyType(
    {
        "96360": "Hydration IV infusion, first hour (31 minutes or more)",
        "96361": "Hydration IV infusion, each further hour",
        "96365": "Therapeutic IV infusion, first hour",
        "96366": "Therapeutic IV infusion, each further hour",
        "96367": "Therapeutic IV infusion of a new drug in sequence, up to an hour",
        "96368": "Therapeutic IV infusion running at the same time as another",
        "96369": "Subcutaneous infusion, first hour (pump set-up and its sites included)",
        "96370": "Subcutaneous infusion, each further hour",
        "96371": "Subcutaneous infusion, an extra pump set-up with new site(s)",
        "96372": "Therapeutic injection under the skin or into a muscle",
        "96374": "Therapeutic IV push, first drug",
        "96375": "Therapeutic IV push of each further new drug",
        "96376": "Therapeutic IV push of the same drug again after 30 minutes (facility only)",
        "96377": "Applying an on-body injector for a timed subcutaneous injection",
        "96401": "Chemotherapy injection under the skin or into a muscle, not hormonal",
        "96402": "Chemotherapy injection under the skin or into a muscle, hormonal antineoplastic",
        "96405": "Chemotherapy injected into lesions, up to 7 lesions",
        "96409": "Chemotherapy IV push, first drug",
        "96411": "Chemotherapy IV push of each further drug",
        "96413": "Chemotherapy IV infusion, first hour",
        "96415": "Chemotherapy IV infusion, each further hour",
        "96416": "Chemotherapy infusion over 8 hours started with a pump",
        "96417": "Chemotherapy IV infusion of a further drug in sequence, up to an hour",
        "96450": "Chemotherapy into the spinal fluid (intrathecal)",
        "96523": "Flushing an implanted venous access port (the day's only service)",
        "C8957": "Non-chemotherapy IV infusion over 8 hours started with a pump (hospital outpatient)",
    }
)

# Add-ons of the drug administration codes this engine reports (CMS Add-on Code file type 1 with their primaries,
# as in assistant.units.ADD_ON_PRIMARIES, plus 96370/96371 for the subcutaneous family).
INITIAL_CODES: frozenset[str] = frozenset({"96360", "96365", "96374", "96409", "96413"})


@dataclass(frozen=True, slots=True)
class DrugDefault:
    """A drug's default administration category, whether it is a hormonal antineoplastic, and the source."""

    category: str
    hormonal: bool | None
    source: str
    disputed: str = ""


_MAB = "monoclonal antibody used in cancer therapy: chemotherapy/complex administration (Noridian JE A; A7)"
_HORMONAL = "hormonal antineoplastic: 96402 (encounters.md A7; ASP 2026Q1 billing unit)"

# HCPCS code -> default category (encounters.md A7). J9xxx codes not listed default to non-hormonal chemotherapy.
DRUG_DEFAULTS: Mapping[str, DrugDefault] = MappingProxyType(
    {
        "J9312": DrugDefault(
            "chemotherapy", False, _MAB, "carecostestimate lists Rituxan under 96365 for commercial payers (DISPUTED)"
        ),
        "J9311": DrugDefault("chemotherapy", False, _MAB),
        "J9355": DrugDefault("chemotherapy", False, _MAB),
        "J9271": DrugDefault("chemotherapy", False, _MAB),
        "J9299": DrugDefault("chemotherapy", False, _MAB),
        "J9022": DrugDefault("chemotherapy", False, _MAB),
        "J9173": DrugDefault("chemotherapy", False, _MAB),
        "J9306": DrugDefault("chemotherapy", False, _MAB),
        "J9035": DrugDefault("chemotherapy", False, _MAB),
        "J9228": DrugDefault("chemotherapy", False, _MAB),
        "J1745": DrugDefault(
            "chemotherapy",
            False,
            "infliximab: complex biologic for Medicare (CR 13468; encounters.md A7)",
            "commercial payers often use 96365 for infliximab (DISPUTED)",
        ),
        "J9217": DrugDefault("chemotherapy", True, _HORMONAL),
        "J9395": DrugDefault("chemotherapy", True, _HORMONAL),
        "J9202": DrugDefault("chemotherapy", True, _HORMONAL, "the goserelin implant's code is UNCONFIRMED"),
        "J1950": DrugDefault("therapeutic", False, "leuprolide 3.75 mg (non-cancer): 96372 (AmeriHealth list, A7)"),
        "J0897": DrugDefault(
            "therapeutic", False, "denosumab: 96372 (The Rheumatologist, A7)", "Xgeva (cancer use) is DISPUTED"
        ),
        "J0640": DrugDefault("therapeutic", False, "leucovorin: non-chemo codes (CPT Assistant May 2007 via HCPro)"),
        "J0641": DrugDefault("therapeutic", False, "levoleucovorin: non-chemo codes (AAPC 131995)"),
    }
)

JCODE_CHEMO_SOURCE = "J9xxx antineoplastic drug codes: chemotherapy administration (HCPCS J9000-J9999; Noridian JE A)"


def drug_default(code: str | None) -> DrugDefault | None:
    """The default category of a HCPCS drug code: the table first, then any J9xxx code as chemotherapy."""
    if not code:
        return None
    key = code.strip().upper()
    found = DRUG_DEFAULTS.get(key)
    if found is not None:
        return found
    if len(key) == 5 and key.startswith("J9") and key[2:].isdigit():
        return DrugDefault("chemotherapy", None, JCODE_CHEMO_SOURCE)
    return None
