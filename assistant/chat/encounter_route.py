"""The encounter route (issue 11 item 4, chat): READ's services -> one `Encounter` -> a Markdown `Answer`.

`answer_encounter(services, context, router)` returns None when the services are not a drug-administration
encounter the engine should code as a whole (one timed service with no drug is left to the units route). Drugs
resolve to HCPCS codes and administration categories through the corpus drug dictionary (`corpus.drugs`) only:
drug names live in the corpus (`corpus/drugs.yaml`, the imported HCPCS/NDC files), never in a list here.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from pydantic import ValidationError

from assistant.chat.answers import cell as _cell
from assistant.chat.encounter_clock import number_days, place_during, place_in_sequence
from assistant.chat.encounter_links import included_note, link_rows
from assistant.chat.encounter_render import render
from assistant.chat.encounter_visit import device_flags, primary_index, primary_questions, visit_rows
from assistant.chat.reading.visit_cues import on_body_injector, port_flush
from assistant.contract import Answer
from assistant.corpus.drug_forms import route_note
from assistant.corpus.drug_qualifiers import qualifier_hint
from assistant.units import MueLimit
from assistant.units.encounter import Administration, Encounter, EncounterResult, code_encounter
from assistant.units.encounter.catalog import TITLES, drug_default
from assistant.units.registry import ADMINISTRATION_FAMILIES, CATEGORY_OF_FAMILY, ROUTE_OF_FAMILY

# The drug-administration families, their engine routes and categories: declared once, in units/registry.py.
ADMIN_FAMILIES, _FAMILY_CATEGORY, _FAMILY_ROUTE = ADMINISTRATION_FAMILIES, CATEGORY_OF_FAMILY, ROUTE_OF_FAMILY
_ROUTES = {"iv_infusion": "iv_infusion", "iv_push": "iv_push", "sc_infusion": "sc_infusion", "injection": "injection",
           "im": "injection", "sc": "injection", "intralesional": "intralesional", "intrathecal": "intrathecal"}
_SEPARATE_LINES = re.compile(r"\b(?:separate|different|two|2)\s+(?:iv\s+)?lines\b", re.I)
_SPLIT = re.compile(r"\b(?:split|divided)\b", re.I)
_KEEP_OPEN = re.compile(r"\b(?:kvo|tko|keep(?:ing)?[- ](?:the\s+)?(?:line|vein)?\s*open|to keep open)\b", re.I)
# "drug B", "another drug": a placeholder, not a drug's name (nothing to look up; the service's words decide).
_PLACEHOLDER = re.compile(
    r"^(?:(?:drug|med|medication)\s+)?[a-z0-9]$|^(?:another|second|2nd|new|different|other)\s+(?:drug|med|medication)$",
    re.I,
)
_WORD_ROUTES = ((re.compile(r"\bintrathecal\b", re.I), "intrathecal"),
                (re.compile(r"\bintralesional\b", re.I), "intralesional"))
_ON_BODY_ROUTE = "injection"  # an on-body injector gives a timed subcutaneous injection (CMS A54682)


class ServiceLike(Protocol):
    """The fields of READ's `Service` this route reads (assistant/chat/reading/services.py)."""

    family: str | None
    route: str | None
    category: str | None
    drug: str | None
    code: str | None
    minutes: int | None
    start: datetime.time | None
    end: datetime.time | None
    dose: float | None
    dose_unit: str | None
    count: int | None
    relation: str | None
    pump: bool | None
    site: str | None
    words: str


class RouterLike(Protocol):
    corpus: Any
    edits: Any

    def mue_lookup(self) -> Callable[[str], Any] | None: ...


@dataclass(frozen=True)
class DrugInfo:
    code: str
    quantity: float | None
    unit: str | None
    category: str | None
    hormonal: bool | None
    how: str


def _drug_named(words: str, router: RouterLike | None) -> bool:
    """The words name a drug the corpus knows (`corpus.drugs`); False without a router or a dictionary."""
    drugs = getattr(getattr(router, "corpus", None), "drugs", None) if router is not None else None
    return drugs is not None and bool(drugs.find(words))


def is_encounter(services: Sequence[ServiceLike], router: RouterLike | None = None) -> bool:
    """Code as a whole encounter: two or more administrations, or one with a drug, a pump or a clock range. With a
    router, a drug the corpus knows in a service's words counts as a named drug."""
    admin = [s for s in services if _is_admin(s, router)]
    if any(port_flush(s.words) for s in services) and not any(_foreign(s) for s in services):
        return True  # a port flush is a visit of its own (96523 when it is the only service, encounters.md A8)
    if not admin or any(_foreign(s) for s in services):
        return False
    if not any(_route_of(s) is not None or s.pump or s.minutes for s in admin):
        return False  # drugs and doses only ("hizentra 12,000 mg", "keytruda 200 mg and privigen 40 g"): drug units
    if len(admin) >= 2:
        return True
    one = admin[0]
    return bool(one.drug or one.code or one.pump or _drug_named(one.words, router) or (one.count or 1) > 1
                or (one.minutes or 0) > 24 * 60)


def _foreign(service: ServiceLike) -> bool:
    """A service of another kind in the question (therapy, E/M, a typed non-drug code): not a drug-administration
    encounter, so the units route answers it as a whole rather than this route dropping part of it."""
    if service.family is not None and service.family not in ADMIN_FAMILIES:
        return True
    code = (service.code or "").strip().upper()
    return bool(code) and not code.startswith("J") and code not in TITLES


def _route_of(service: ServiceLike) -> str | None:
    """The engine route the service's words name (a route word, its family, intralesional/intrathecal)."""
    route = _ROUTES.get(service.route or "") or _FAMILY_ROUTE.get(service.family or "")
    for pattern, name in _WORD_ROUTES:
        if pattern.search(service.words):
            route = name
    return _ON_BODY_ROUTE if on_body_injector(service.words) else route


def _is_admin(service: ServiceLike, router: RouterLike | None = None) -> bool:
    """A drug administration: its family says so, or (no family) a route, a pump, or a drug the corpus names."""
    if service.family in ADMIN_FAMILIES:
        return True
    if service.family is not None:
        return False
    return bool(service.route in _ROUTES or service.pump or service.drug or _drug_named(service.words, router))


def resolve_drug(service: ServiceLike, router: RouterLike) -> DrugInfo | None:
    """The drug's code, billing unit and administration category, from the corpus. Fluids (hydration) are not
    looked up by their words: "IV fluids" names a saline bag, not the drug of the service."""
    fluid = service.category == "hydration" or service.family == "hydration"
    return resolve_name(service.drug, service.code, "" if fluid else service.words, router,
                        strength=(service.dose, service.dose_unit))


def resolve_name(drug: str | None, code: str | None, words: str, router: RouterLike,
                 strength: tuple[float | None, str | None] = (None, None)) -> DrugInfo | None:
    """A drug named by code or words: the corpus record (one candidate only; several = not resolved, never the
    first). The drug words are matched whole first, then searched for a corpus name ("started 5-FU pump"), as are
    the service's words when no drug words were read; one drug found is used, two different drugs are not
    resolved. None when unknown."""
    corpus = router.corpus
    record = None
    how = ""
    if code:
        record = corpus.get(code.strip().upper())
        how = f"{code} as typed"
    drugs = getattr(corpus, "drugs", None)
    if record is None and drug and drugs is not None:
        candidates = drugs.by_strength(drugs.resolve(drugs.candidates(drug), words), *strength, name=drug)
        if len(candidates) == 1:
            record, how = candidates[0], f"'{drug}' is {candidates[0].code} in the corpus"
        elif len(candidates) > 1:
            # "IVIG privigen 40 g": a class name several codes share, and the product named beside it.
            named = {r.code: (m.surface, r) for m in drugs.find(words) for found in [drugs.resolve(m.candidates, words)]
                     if len(found) == 1 for r in found}
            if len(named) != 1:
                return None
            surface, record = next(iter(named.values()))
            how = f"'{surface}' is {record.code} in the corpus"
    if record is None and drugs is not None and (drug or words):
        mentions = [(m.surface, drugs.resolve(m.candidates, words)) for m in drugs.find(drug or words)]
        codes = {r.code for _surface, found in mentions for r in found}
        if len(codes) > 1:
            return None  # two drugs, or a name several codes share: not resolved, never the first
        if mentions and codes:
            surface, (record, *_rest) = mentions[0]
            how = f"'{surface}' is {record.code} in the corpus"
    if record is not None:
        quantity = record.billing_unit.quantity if record.billing_unit else None
        unit = record.billing_unit.unit if record.billing_unit else None
        category, hormonal = _category_of(record.code, drugs)
        return DrugInfo(record.code, quantity, unit, category, hormonal, how)
    if code:
        category, hormonal = _category_of(code.strip().upper(), drugs)
        return DrugInfo(code.strip().upper(), None, None, category, hormonal, f"{code} as typed")
    return None


def _codes_named(drug: str | None, router: RouterLike, words: str = "") -> tuple[list[str], str]:
    """The current codes a drug name fits after the typed qualifiers, when it fits more than one (else empty), and
    the words that would decide among them (`qualifier_hint`: the ESRD indication, oral vs IV), or "". No codes and
    why when the stated route rules out every code of the name (`route_note`: "capecitabine 500 mg IM")."""
    drugs = getattr(router.corpus, "drugs", None)
    if not drug or drugs is None:
        return [], ""
    found = drugs.resolve(drugs.candidates(drug), words)
    if not found:
        return [], route_note(drugs.candidates(drug), words, drug)
    return ([r.code for r in found], qualifier_hint(found)) if len(found) > 1 else ([], "")


def enrich(encounter: Encounter, router: RouterLike) -> tuple[Encounter, list[str]]:
    """Fill what the corpus knows into structured administrations (API, CLI, tab): a drug named by words or code
    gets its HCPCS code, billing unit and default category; fields the caller set are never overwritten."""
    notes: list[str] = []
    filled: list[Administration] = []
    for adm in encounter.administrations:
        updates: dict[str, Any] = {}
        # A carrier or a flush names a fluid, never a drug to look up (issue 17 class 4).
        fluid = adm.category == "hydration" or adm.keep_open or (adm.carrier_of, adm.included_in) != (None, None)
        info = None if fluid else resolve_name(adm.substance, adm.drug_code, adm.substance, router)
        if info is not None:
            if adm.drug_code is None:
                updates["drug_code"] = info.code
            if adm.billing_quantity is None and info.quantity is not None:
                updates["billing_quantity"] = info.quantity
            if not adm.billing_unit and info.unit:
                updates["billing_unit"] = info.unit
            if adm.category is None and info.category:
                updates["category"] = info.category
                notes.append(f"{info.how}: {info.category} administration by default (the drug alone does not "
                             "decide it for Medicare, TDL 12397)")
            if adm.hormonal is None and info.hormonal is not None:
                updates["hormonal"] = info.hormonal
        filled.append(adm.model_copy(update=updates) if updates else adm)
    return encounter.model_copy(update={"administrations": filled}), notes


def code_structured(encounter: Encounter, router: RouterLike) -> tuple[EncounterResult, Answer]:
    """Code a structured encounter (API, CLI, the Encounter tab): drugs resolved, MUE and PTP checked, rendered."""
    enriched, notes = enrich(encounter, router)
    setting = enriched.setting
    result = code_encounter(enriched, mue_lookup=_mue_lookup(router, setting), ptp_lookup=_ptp(router, setting))
    return result, render(result, enriched, notes)


def _category_of(code: str, drugs: Any) -> tuple[str | None, bool | None]:
    found = drugs.administration_category(code) if drugs is not None else None
    if found == "hormonal_antineoplastic":
        return "chemotherapy", True
    default = drug_default(code)
    if found in ("chemotherapy", "therapeutic"):
        # The dictionary names the hormonal antineoplastics (96402) apart, so an antineoplastic it does not call
        # hormonal is 96401 by SC/IM injection (bortezomib, azacitidine, methotrexate: codingahead 96401/96402,
        # encounters.md A7), unless the encounter catalog says otherwise.
        known = default.hormonal if default is not None else None
        return found, (known if known is not None else (False if found == "chemotherapy" else None))
    if default is not None:
        return default.category, default.hormonal
    return None, None


class EncounterQuestions(ValueError):
    """The services cannot become an encounter until these questions are answered (nothing is guessed)."""

    def __init__(self, questions: list[str]) -> None:
        super().__init__("; ".join(questions))
        self.questions = questions


def to_encounter(
    services: Sequence[ServiceLike], context: Any, router: RouterLike
) -> tuple[Encounter, list[str], set[int]]:
    """The Encounter the services describe, notes on how it was read, and the indexes whose clock times are not
    the user's (placed to model 'during')."""
    notes: list[str] = []
    questions: list[str] = []
    rows: list[dict[str, Any]] = []
    # A flush read as its own service "included in" another is coded there (relations.py), never twice; one
    # included in a port-flush row (`taken`) is that row already.
    hosts = [[r.other for r in getattr(s, "relations", ()) if r.kind == "included_in"] for s in services]
    taken: set[int] = set()
    for number, service in enumerate(services):
        added, done = ([], False) if hosts[number] else visit_rows(service, rows, any(number in h for h in hosts))
        rows.extend(added)
        if done or any(other in taken for other in hosts[number]):
            taken.add(number)
            continue
        if (included := included_note(service)) is not None:
            notes.append(included)  # "port accessed" (issue 17 class 4)
            continue
        if not _is_admin(service, router):
            notes.append(f"'{_cell(service.words)}' is not a drug administration: ask about it separately.")
            continue
        placeholder = bool(service.drug and _PLACEHOLDER.match(service.drug.strip()))
        if placeholder:
            letter = service.drug.strip() if service.drug else ""
            service = _Renamed(service, None)
            named = f"drug {letter.upper()}" if len(letter) == 1 else letter
        route = _route_of(service)
        drug = resolve_drug(service, router)
        fluid = service.category == "hydration" or service.family == "hydration"
        several, hint = _codes_named(service.drug, router, service.words)
        if drug is None and service.dose is not None and not fluid and several:
            # Never the first of several: "methylprednisolone 80 mg" is acetate (J1010) or sodium succinate (J2919).
            questions.append(f"'{service.drug}' fits several drug codes ({', '.join(several)}): which product was "
                             "given? Name it or its code." + hint)
            continue
        if drug is None and not fluid and hint and not several:
            questions.append(hint)  # the stated route rules out every code of the drug (drug_forms.route_note)
            continue
        category = service.category if service.category in ("chemotherapy", "therapeutic", "hydration") else None
        hormonal = True if service.category == "hormonal_antineoplastic" else None
        if service.category == "hormonal_antineoplastic":
            category = "chemotherapy"
        category = category or _FAMILY_CATEGORY.get(service.family or "")
        if drug is not None:
            if category is None and drug.category:
                category = drug.category
                notes.append(f"{drug.how}: {drug.category} administration by default (the drug alone does not "
                             "decide it for Medicare, TDL 12397)")
            hormonal = hormonal if hormonal is not None else drug.hormonal
        elif category is None and not service.drug and service.family in ("iv_infusion", "iv_push", "injection"):
            category = "therapeutic"  # the words named a therapeutic service with no drug
        if route is None:
            route = "iv_infusion" if service.minutes or service.pump else None
        if route is None:
            questions.append(f"How was '{service.words}' given: IV infusion (with its time), IV push or injection? "
                             "The administration codes differ.")
            continue
        substance = service.drug or (drug.code if drug else None) or (named if placeholder else None) \
            or _default_name(service, category)
        row: dict[str, Any] = {
            "substance": substance, "category": category, "hormonal": hormonal, "route": route,
            "start": service.start, "stop": service.end,
            "minutes": service.minutes if not (service.start and service.end) else None,
            "site": service.site, "pump": bool(service.pump),
            "keep_open": bool(_KEEP_OPEN.search(service.words)), **device_flags(service),
        }
        if service.dose is not None and drug is not None and category != "hydration":
            row.update(dose=service.dose, dose_unit=service.dose_unit, drug_code=drug.code,
                       billing_quantity=drug.quantity, billing_unit=drug.unit)
        rows.append({**row, "_relation": service.relation, "_gap": getattr(service, "gap_minutes", None),
                     "_from": number})
        for extra in range(max((service.count or 1) - 1, 0)):
            # "zofran 4 mg IVP x2": each administration of a named drug has the dose typed with it; "1 g split into 2
            # injections" is one dose given in parts (the total is on the first row, never counted twice).
            each = service.drug and not _SPLIT.search(service.words)
            copy = {**row, "dose": row.get("dose") if each else None, "_relation": None, "_gap": None}
            if not service.drug:
                copy["substance"] = f"{substance} {extra + 2}"
            rows.append(copy)
    questions.extend(primary_questions(rows) if context.setting == "professional" else [])  # issue 17 (A2)
    if any(_SEPARATE_LINES.search(s.words) for s in services) and not any(r["site"] for r in rows) \
            and sum(r["route"] == "iv_infusion" for r in rows) > 1:
        # "on separate lines" is two access sites (an initial each, CPM4 s230.2 B/C) or two lines of one access
        # (one initial, +96368 when concurrent): the codes differ, so it is asked, never guessed.
        named = " and ".join(r["substance"] for r in rows if r["route"] == "iv_infusion")
        questions.append(f"Were {named}, on 'separate lines', given through separate IV access sites (each its own "
                         "initial service, modifier XS/59) or through two lines or lumens of one access (one "
                         "initial service; +96368 if they ran at the same time)? Say 'separate IV sites' or 'same "
                         "access'.")
    if questions:
        raise EncounterQuestions(questions)
    link_rows(rows, services)  # mixed with, carrier of, concurrent with ... (issue 17 class 4)
    placed = place_during(rows) | place_in_sequence(rows)
    number_days(rows, notes)
    administrations = [Administration.model_validate({k: v for k, v in r.items() if not k.startswith("_")})
                       for r in rows]
    encounter = Encounter(setting=context.setting, payer=context.payer, administrations=administrations,
                          primary=primary_index(rows) if context.setting == "professional" else None)
    return encounter, notes, placed


class _Renamed:
    """A service seen with another drug name (None for a placeholder such as "drug B"); every other field as is."""

    def __init__(self, service: ServiceLike, drug: str | None) -> None:
        self._service = service
        self.drug = drug

    def __getattr__(self, name: str) -> Any:
        return getattr(self._service, name)


def _default_name(service: ServiceLike, category: str | None) -> str:
    if category == "hydration":
        return "hydration"
    return {"chemotherapy": "chemotherapy (drug not named)", "therapeutic": "therapeutic drug (not named)"}.get(
        category or "", "drug (not named)")


def answer_encounter(services: Sequence[ServiceLike], context: Any, router: RouterLike) -> Answer | None:
    """The whole-encounter answer (route "units"), or None when the services are not an encounter to code."""
    if not is_encounter(services, router):
        return None
    try:
        encounter, notes, placed = to_encounter(services, context, router)
    except EncounterQuestions as asked:
        lead = "**I need to know more before coding this encounter:**\n" + "\n".join(
            f"- {_cell(q)}" for q in asked.questions)
        return Answer(route="units", answer=lead + "\n", warnings=asked.questions)
    except ValidationError as error:
        problem = error.errors()[0]
        return Answer(route="units", answer=f"**I can't code this encounter as asked:** {problem['msg']}.\n",
                      warnings=[str(problem["msg"])])
    mue = _mue_lookup(router, encounter.setting)
    result = code_encounter(encounter, mue_lookup=mue, ptp_lookup=_ptp(router, encounter.setting))
    return render(result, encounter, notes, placed, list(getattr(context, "warnings", None) or []))


def _mue_lookup(router: RouterLike, setting: str) -> Callable[[str], Any] | None:
    """The MUE table of the claim's setting (practitioner for professional, outpatient hospital for facility) when
    the edits store is setting-aware and has it loaded; else the router's practitioner look-up."""
    aware = getattr(router, "mue_lookup_for", None)
    if callable(aware):
        return aware(setting)  # type: ignore[no-any-return]
    edits = router.edits
    loaded = getattr(edits, "loaded", None)
    if edits is not None and callable(loaded):
        if not loaded("mue", setting):
            return None
        def lookup(code: str) -> Any:
            entry = edits.mue(code, setting=setting)
            if entry is None:
                return None
            return MueLimit(code=entry.code, value=entry.value, mai=entry.mai, mai_description=entry.mai_description)

        return lookup
    return router.mue_lookup()


def _ptp(router: RouterLike, setting: str = "professional") -> Callable[[list[str]], list[Any]] | None:
    """PTP pairs among the result codes, from the setting's table when the store knows settings."""
    edits = router.edits
    loaded = getattr(edits, "loaded", None)
    if edits is None:
        return None
    if callable(loaded):
        if not loaded("ptp", setting):
            return None

        def by_setting(codes: list[str]) -> list[Any]:
            return list(edits.pairs(codes, setting=setting))

        return by_setting
    if not getattr(edits, "has_ptp", False):
        return None

    def lookup(codes: list[str]) -> list[Any]:
        return list(edits.pairs(codes))

    return lookup


__all__ = [
    "answer_encounter", "code_structured", "enrich", "is_encounter", "render",
    "resolve_drug", "resolve_name", "to_encounter",
]
