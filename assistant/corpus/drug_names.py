"""Brand names and abbreviations coders type for drugs whose CMS records carry only the generic name (issue 17).

The CMS files name a drug by its generic name (the HCPCS descriptor "Injection, metoclopramide hcl, up to 10 mg",
the NDC crosswalk's "Metoclopramide HCl"); coders type the brand ("reglan") or an abbreviation ("levo"). Each row
names a drug by the generic name the CMS records use; the drug dictionary (`assistant.corpus.drugs`) gives the
brand every code that generic name has, so the code itself still comes from the imported files (never from here).
A row whose generic name the loaded corpus does not know adds nothing. Every row names its source: the FDA label
of the brand (DailyMed, "BRAND (generic) injection") or, for an abbreviation, where it is defined.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class DrugName:
    """Names coders type (`names`) for the drug the CMS records call `generic`, with the source saying so."""

    names: tuple[str, ...]
    generic: str
    source: str


def _label(brand: str, generic: str) -> str:
    return f"FDA label (DailyMed): {brand} ({generic}) injection"


DRUG_NAMES: tuple[DrugName, ...] = (
    # Antiemetics, analgesics, sedatives and other drugs of ED and infusion-center visits.
    DrugName(("reglan",), "metoclopramide", _label("REGLAN", "metoclopramide")),
    DrugName(("compazine",), "prochlorperazine", _label("COMPAZINE", "prochlorperazine edisylate")),
    DrugName(("aloxi",), "palonosetron", _label("ALOXI", "palonosetron HCl")),
    # ZOFRAN is the injection and the tablets: the typed route chooses (J2405 injection, Q0162 oral; drug_forms).
    DrugName(("zofran",), "ondansetron", "FDA labels (DailyMed): ZOFRAN (ondansetron) injection; ZOFRAN tablets"),
    DrugName(("haldol",), "haloperidol", _label("HALDOL", "haloperidol")),
    DrugName(("sublimaze",), "fentanyl", _label("SUBLIMAZE", "fentanyl citrate")),
    DrugName(("narcan",), "naloxone", _label("NARCAN", "naloxone hydrochloride")),
    DrugName(("lasix",), "furosemide", _label("LASIX", "furosemide")),
    DrugName(("protonix",), "pantoprazole", _label("PROTONIX I.V.", "pantoprazole sodium")),
    DrugName(("pepcid",), "famotidine", _label("PEPCID", "famotidine")),
    DrugName(("zyprexa",), "olanzapine", _label("ZYPREXA IntraMuscular", "olanzapine")),
    DrugName(("ofirmev",), "acetaminophen", _label("OFIRMEV", "acetaminophen")),
    DrugName(("levaquin",), "levofloxacin", _label("LEVAQUIN", "levofloxacin")),
    DrugName(("zosyn",), "piperacillin sodium/tazobactam sodium", _label("ZOSYN", "piperacillin and tazobactam")),
    DrugName(("unasyn",), "ampicillin sodium/sulbactam sodium", _label("UNASYN", "ampicillin and sulbactam")),
    DrugName(("ancef",), "cefazolin", "FDA label (DailyMed): cefazolin for injection (formerly ANCEF)"),
    DrugName(("zometa",), "zoledronic acid", _label("ZOMETA", "zoledronic acid")),
    DrugName(("boniva",), "ibandronate", _label("BONIVA", "ibandronate sodium")),
    DrugName(("venofer",), "iron sucrose", _label("VENOFER", "iron sucrose")),
    # Self-administered biologics and others coders see given in the office (their brands are not in the crosswalk).
    DrugName(("humira",), "adalimumab", _label("HUMIRA", "adalimumab")),
    DrugName(("enbrel",), "etanercept", _label("ENBREL", "etanercept")),
    DrugName(("imitrex",), "sumatriptan", _label("IMITREX", "sumatriptan")),
    DrugName(("cuvitru",), "cuvitru", "CMS HCPCS J1555 descriptor: immune globulin (cuvitru)"),
    # Erythropoiesis-stimulating agents: "epoetin" is typed for epoetin alfa (EPOGEN, PROCRIT: units) and epoetin
    # beta (MIRCERA: micrograms); the dose's unit and the ESRD indication then choose the code (drug_qualifiers.py).
    DrugName(("epoetin",), "epoetin alfa", "FDA labels (DailyMed): EPOGEN and PROCRIT (epoetin alfa) injection"),
    DrugName(("epoetin",), "epoetin beta",
             "FDA label (DailyMed): MIRCERA (methoxy polyethylene glycol-epoetin beta) injection"),
    DrugName(("darbepoetin",), "darbepoetin alfa", _label("ARANESP", "darbepoetin alfa")),
    # Antibiotics, growth factors and others given in infusion centers whose brands the crosswalk lacks.
    DrugName(("tygacil",), "tigecycline", _label("TYGACIL", "tigecycline")),
    DrugName(("cubicin",), "daptomycin", _label("CUBICIN", "daptomycin")),
    DrugName(("merrem",), "meropenem", _label("MERREM", "meropenem")),
    DrugName(("invanz",), "ertapenem", _label("INVANZ", "ertapenem")),
    DrugName(("granix",), "tbo-filgrastim", _label("GRANIX", "tbo-filgrastim")),
    DrugName(("leukine",), "sargramostim", _label("LEUKINE", "sargramostim")),
    DrugName(("mozobil",), "plerixafor", _label("MOZOBIL", "plerixafor")),
    DrugName(("ajovy",), "fremanezumab", _label("AJOVY", "fremanezumab-vfrm")),
    DrugName(("somatuline",), "lanreotide", _label("SOMATULINE DEPOT", "lanreotide")),
    DrugName(("exparel",), "bupivacaine liposome", "FDA label (DailyMed): EXPAREL (bupivacaine liposome injectable "
             "suspension)"),
    # VISTARIL is the intramuscular hydrochloride and the oral pamoate: the typed route chooses (J3410 or Q0177).
    DrugName(("vistaril",), "hydroxyzine", "FDA labels (DailyMed): VISTARIL (hydroxyzine hydrochloride) "
             "intramuscular solution; VISTARIL (hydroxyzine pamoate) capsules"),
    # Antineoplastics (HCPCS J9000-J9999, chemotherapy administration by their code range).
    DrugName(("vidaza",), "azacitidine", _label("VIDAZA", "azacitidine")),
    DrugName(("cytoxan",), "cyclophosphamide", "FDA label (DailyMed): cyclophosphamide injection (brand CYTOXAN)"),
    DrugName(("oncovin",), "vincristine", "FDA label (DailyMed): vincristine sulfate injection (brand ONCOVIN)"),
    DrugName(("velban",), "vinblastine", "FDA label (DailyMed): vinblastine sulfate (brand VELBAN)"),
    DrugName(("blenoxane",), "bleomycin", "FDA label (DailyMed): bleomycin for injection (brand BLENOXANE)"),
    DrugName(("dtic", "dtic-dome"), "dacarbazine", "FDA label (DailyMed): dacarbazine for injection (DTIC-Dome)"),
    DrugName(("taxotere",), "docetaxel", _label("TAXOTERE", "docetaxel")),
    DrugName(("navelbine",), "vinorelbine", _label("NAVELBINE", "vinorelbine")),
    DrugName(("camptosar",), "irinotecan", _label("CAMPTOSAR", "irinotecan hydrochloride")),
    DrugName(("eloxatin",), "oxaliplatin", _label("ELOXATIN", "oxaliplatin")),
    DrugName(("platinol",), "cisplatin", "FDA label (DailyMed): cisplatin injection (brand PLATINOL)"),
    DrugName(("toposar", "vepesid"), "etoposide", "FDA label (DailyMed): etoposide injection (TOPOSAR, VEPESID)"),
    DrugName(("ifex",), "ifosfamide", _label("IFEX", "ifosfamide")),
    DrugName(("mesnex",), "mesna", _label("MESNEX", "mesna")),
    DrugName(("dacogen",), "decitabine", _label("DACOGEN", "decitabine")),
    DrugName(("cytosar",), "cytarabine", "FDA label (DailyMed): cytarabine injection (brand CYTOSAR-U)"),
    DrugName(("mtx",), "methotrexate",
             "NCI Dictionary of Cancer Terms / ISMP list of abbreviations: MTX = methotrexate"),
    DrugName(("5fu", "5-fu"), "fluorouracil",
             "NCI Dictionary of Cancer Terms: 5-FU = fluorouracil; FDA label (DailyMed): fluorouracil injection"),
)

__all__ = ["DRUG_NAMES", "DrugName"]
