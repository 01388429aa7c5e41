"""The family registry: every units family is declared ONCE here, and everything else derives from it.

A `Family` says what the family is called (its key, its title, how an answer names it, the noun an error uses),
how it is counted, which codes it reports and which calculator answers it. Derived from `REGISTRY`:
`FAMILIES` (public `FamilyInfo`s), `TIMED_FAMILIES` (the time tables), `FAMILY_NAMES` (key -> answer name),
`NOUNS`, `COUNT_FAMILIES`, `TIME_RULES` (the `time_rule` values a corpus record may name).

A new family is one table module plus one `Family(...)` row below: the engine, the corpus check and the chat's
family names pick it up from here.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from types import MappingProxyType
from typing import Literal, Protocol

from assistant.units import administration, care_management, facility_em, psychiatry, tables
from assistant.units.anesthesia import anesthesia
from assistant.units.drugs import drug_units
from assistant.units.models import FamilyInfo, UnitsRequest
from assistant.units.outcome import Outcome
from assistant.units.rules import TimedFamily
from assistant.units.therapy import therapy
from assistant.units.timed import timed_outcome
from assistant.units.titles import OFFICE_EM_CODES
from assistant.units.vocabulary import Category, Route

Counting = Literal["time", "count", "code_minutes", "dose"]
"""How a family is counted: by a duration ("time"), per service with no time needed ("count": pushes,
injections), by minutes per code ("code_minutes": PT/OT), or by a drug dose ("dose")."""


class Calculator(Protocol):
    """A family's calculator: the request and its resolved minutes (None when no time was given) -> Outcome."""

    def __call__(self, request: UnitsRequest, minutes: int | None, /) -> Outcome: ...


@dataclass(frozen=True, slots=True)
class Family:
    """One units family, declared once."""

    name: str  # the key: UnitsRequest.family, CodeRecord.time_rule
    title: str  # a short title ("Subcutaneous infusion")
    answer_name: str  # how an answer names it, lower case ("subcutaneous infusion")
    noun: str  # the service in an error message ("a subcutaneous infusion can't last -3 hours")
    counted: Counting
    codes: tuple[str, ...]  # the codes it may report
    description: str  # one line a coder reads in a family list
    calculator: Calculator
    timed: TimedFamily | None = None  # the time table, for the timed families (also the fast path)
    administration: Administration | None = None  # drug administration: the route and category it codes

    @property
    def info(self) -> FamilyInfo:
        return FamilyInfo(name=self.name, title=self.title, codes=self.codes, description=self.description)


@dataclass(frozen=True, slots=True)
class Administration:
    """How a drug-administration family's service is given: the encounter engine's route and, when the family
    fixes it, the category (chemotherapy and hydration do; the other families take the drug's category)."""

    route: Route
    category: Category | None = None


class _Timed:
    """The calculator of a timed family: the one generic algorithm over its table."""

    __slots__ = ("table",)

    def __init__(self, table: TimedFamily) -> None:
        self.table = table

    def __call__(self, request: UnitsRequest, minutes: int | None, /) -> Outcome:
        return timed_outcome(request, self.table, minutes)


def _timed(
    table: TimedFamily, title: str, answer_name: str, codes: tuple[str, ...], description: str
) -> Family:
    return Family(
        name=table.name,
        title=title,
        answer_name=answer_name,
        noun=table.duration_noun,
        counted="time",
        codes=codes,
        description=description,
        calculator=_Timed(table),
        timed=table,
    )


def _therapy(request: UnitsRequest, minutes: int | None, /) -> Outcome:
    return therapy(request)


def _drug_units(request: UnitsRequest, minutes: int | None, /) -> Outcome:
    return drug_units(request)


_DECLARED: tuple[Family, ...] = (
    _timed(
        tables.SUBQ,
        "Subcutaneous infusion",
        "subcutaneous infusion",
        ("96369", "96370", "96371", "96372"),
        "96369 first hour with pump set-up and sites; +96370 per further hour past 30 minutes; "
        "+96371 for a later extra pump set-up.",
    ),
    _timed(
        tables.HYDRATION,
        "Hydration IV infusion",
        "IV hydration",
        ("96360", "96361"),
        "31 minutes minimum; +96361 per further hour past 30 minutes.",
    ),
    Family(
        name="iv_infusion",
        title="Therapeutic IV infusion",
        answer_name="therapeutic IV infusion",
        noun=tables.IV_INFUSION.duration_noun,
        counted="time",
        codes=("96365", "96366", "96367", "96368", "96374", "96375", "96376", "96372"),
        description="96365 first hour (16 minutes or more); +96366 per further hour; sequential and concurrent "
        "drugs; pushes and injections in the same encounter.",
        calculator=administration.iv_infusion,
        timed=tables.IV_INFUSION,
    ),
    Family(
        name="iv_push",
        title="Therapeutic IV push",
        answer_name="IV push",
        noun="a push",
        counted="count",
        codes=("96374", "96375", "96376"),
        description="96374 first push; +96375 each new drug; +96376 same drug after 30 minutes (facility only).",
        calculator=administration.iv_push,
    ),
    Family(
        name="injection",
        title="Therapeutic injection",
        answer_name="injection",
        noun="an injection",
        counted="count",
        codes=("96372",),
        description="SC or IM therapeutic injection, one per injection.",
        calculator=administration.injection,
    ),
    _timed(
        tables.CHEMO_INFUSION,
        "Chemotherapy infusion",
        "chemotherapy infusion",
        ("96413", "96415", "96416", "96417", "96409", "96411"),
        "96413 first hour; +96415 per further hour past 30 minutes; +96417 sequential drug; 96416 pump "
        "infusion over 8 hours.",
    ),
    Family(
        name="chemo_push",
        title="Chemotherapy push",
        answer_name="chemotherapy push",
        noun="a chemotherapy push",
        counted="count",
        codes=("96409", "96411"),
        description="96409 first drug; +96411 each further drug.",
        calculator=administration.chemo_push,
    ),
    _timed(
        tables.CRITICAL_CARE,
        "Critical care",
        "critical care",
        ("99291", "99292"),
        "99291 from 30 minutes; +99292 at 75 minutes (CPT) or 104 minutes (Medicare), then per 30.",
    ),
    _timed(
        tables.OFFICE_EM,
        "Office visit by total time",
        "office/outpatient E/M visit",
        tuple(c for c in OFFICE_EM_CODES if c != "99211") + ("99417", "G2212"),
        "Level by total time met or exceeded; prolonged time 99417 (CPT) or G2212 (Medicare).",
    ),
    _timed(
        tables.PSYCHOTHERAPY,
        "Psychotherapy",
        "psychotherapy",
        ("90832", "90834", "90837", "90833", "90836", "90838", "90785"),
        "One code by session time (16, 38, 53 minutes); add-on codes with a same-day E/M; +90785 for "
        "interactive complexity.",
    ),
    _timed(
        psychiatry.CRISIS_PSYCHOTHERAPY,
        "Psychotherapy for crisis",
        "psychotherapy for crisis",
        ("90839", "90840", "90832"),
        "90839 for 30-74 minutes; +90840 at 75 minutes and each further 30 (105, 135...); under 30 minutes the "
        "regular psychotherapy code.",
    ),
    _timed(
        psychiatry.FAMILY_PSYCHOTHERAPY,
        "Family psychotherapy",
        "family psychotherapy",
        ("90846", "90847"),
        "90846 without the patient, 90847 with the patient present; 26 minutes or more, one unit.",
    ),
    Family(
        name="therapy",
        title="PT/OT timed and untimed codes",
        answer_name="PT/OT timed codes",
        noun="therapy",
        counted="code_minutes",
        codes=(),
        description="15-minute units: Medicare's 8-minute rule on total timed minutes, or the CPT rule per code; "
        "evaluations and supervised modalities are 1 unit each, outside the 8-minute total.",
        calculator=_therapy,
    ),
    _timed(
        tables.SEDATION,
        "Moderate sedation",
        "moderate sedation",
        ("99151", "99152", "99153", "99155", "99156", "99157", "G0500"),
        "From 10 minutes; each further 15 minutes past the midpoint (23, 38...) is an add-on unit; G0500 for "
        "Medicare GI endoscopy sedation by the endoscopist.",
    ),
    _timed(
        facility_em.HOSPITAL_EM,
        "Hospital inpatient or observation care by total time",
        "hospital inpatient/observation E/M visit",
        ("99221", "99222", "99223", "99231", "99232", "99233", "99234", "99235", "99236", "99238", "99239", "99418",
         "G0316"),
        "Level by total time met or exceeded (2023+); same-date admission and discharge 99234-99236; discharge "
        "99238/99239; prolonged 99418 (CPT) or G0316 (Medicare).",
    ),
    _timed(
        facility_em.NURSING_FACILITY_EM,
        "Nursing facility care by total time",
        "nursing facility E/M visit",
        ("99304", "99305", "99306", "99307", "99308", "99309", "99310", "99418", "G0317"),
        "Level by total time met or exceeded (2023+); prolonged 99418 (CPT) or G0317 (Medicare).",
    ),
    _timed(
        facility_em.HOME_EM,
        "Home or residence visit by total time",
        "home or residence E/M visit",
        ("99341", "99342", "99344", "99345", "99347", "99348", "99349", "99350", "99417", "G0318"),
        "Level by total time met or exceeded (2023+); prolonged 99417 (CPT) or G0318 (Medicare).",
    ),
    _timed(
        care_management.CARE_MANAGEMENT,
        "Care management per calendar month",
        "care management (per calendar month)",
        ("99490", "99439", "99487", "99489", "99491", "99437", "99424", "99425", "99426", "99427"),
        "Minutes in the calendar month, each threshold met in full: CCM 99490/+99439, complex CCM 99487/+99489, "
        "physician CCM 99491/+99437, PCM 99424/+99425 and 99426/+99427.",
    ),
    Family(
        name="anesthesia",
        title="Anesthesia time",
        answer_name="anesthesia time",
        noun="anesthesia",
        counted="time",
        codes=(),
        description="A claim line with the anesthesia code and its minutes; Medicare time units = minutes / 15 to "
        "one decimal, plus base units (from the question or the imported CMS base-unit file).",
        calculator=anesthesia,
    ),
    Family(
        name="drug_units",
        title="HCPCS drug units",
        answer_name="drug units",
        noun="a drug administration",
        counted="dose",
        codes=(),
        description="Dose / billing unit, rounded up, with unit conversion; JW/JZ for Medicare single-dose vials.",
        calculator=_drug_units,
    ),
)

# Drug administration (CPT 96360-96549; the encounter engine, units/encounter): each family's route, and the
# category the family itself fixes. The families listed here are the drug-administration families.
_ADMINISTERED: Mapping[str, Administration] = {
    "hydration": Administration("iv_infusion", "hydration"),
    "iv_infusion": Administration("iv_infusion"),
    "iv_push": Administration("iv_push"),
    "injection": Administration("injection"),
    "chemo_infusion": Administration("iv_infusion", "chemotherapy"),
    "chemo_push": Administration("iv_push", "chemotherapy"),
    "subq_infusion": Administration("sc_infusion"),
}

REGISTRY: Mapping[str, Family] = MappingProxyType(
    {family.name: replace(family, administration=_ADMINISTERED.get(family.name)) for family in _DECLARED}
)
FAMILIES: Mapping[str, FamilyInfo] = MappingProxyType({name: f.info for name, f in REGISTRY.items()})
TIMED_FAMILIES: Mapping[str, TimedFamily] = MappingProxyType(
    {name: f.timed for name, f in REGISTRY.items() if f.timed is not None and f.counted == "time"}
)
FAMILY_NAMES: Mapping[str, str] = MappingProxyType({name: f.answer_name for name, f in REGISTRY.items()})
NOUNS: Mapping[str, str] = MappingProxyType({name: f.noun for name, f in REGISTRY.items()})
COUNT_FAMILIES: frozenset[str] = frozenset(name for name, f in REGISTRY.items() if f.counted == "count")
TIME_RULES: tuple[str, ...] = tuple(REGISTRY)
# The drug-administration families, the engine route of each and the category a family fixes (derived, never copied).
ADMINISTRATION_FAMILIES: frozenset[str] = frozenset(n for n, f in REGISTRY.items() if f.administration is not None)
ROUTE_OF_FAMILY: Mapping[str, Route] = MappingProxyType(
    {name: f.administration.route for name, f in REGISTRY.items() if f.administration is not None}
)
CATEGORY_OF_FAMILY: Mapping[str, Category] = MappingProxyType(
    {name: f.administration.category for name, f in REGISTRY.items()
     if f.administration is not None and f.administration.category is not None}
)
