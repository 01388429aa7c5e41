"""What each CMS edits file looks like: its columns, how a value is checked, and the table it loads into.

One generic loader (importers.py) reads every table; what differs between files is the data here:
- practitioner MUE (`mue`) and outpatient hospital MUE (`mue_oph`): CMS "MCR_MUE_PractitionerServices" and
  "MCR_MUE_OutpatientHospitalServices" CSV files (a copyright line, then a header "HCPCS/CPT Code, <Practitioner |
  Outpatient Hospital> Services MUE Values, MUE Adjudication Indicator, MUE Rationale"), or the flat CSV of
  ../shared/data ("hcpcs_cpt_code, practitioner_mue_value, mai, mai_description, mue_rationale");
- practitioner PTP (`ptp`, CMS "ccipra-v...") and outpatient hospital PTP (`ptp_oph`, CMS "ccioph-v..."): tab
  separated text with a copyright line and a header spread over several lines ("Column 1, Column 2, *=in existence
  prior to 1996, Effective Date, Deletion Date *=no data, Modifier 0/1/9, PTP Edit Rationale"), or the flat CSV of
  ../shared/data ("column1, column2, modifier_indicator, ptp_edit_rationale");
- the CMS add-on code edit table (`aoc`, the Excel edition "AOC_V2026Q2-MCR" saved as CSV or tab text): "Add-On
  Code", "Primary Code", "AOC Edit Type", with optional deletion dates ("AOC Del Dt", "Primary Code Del Dt",
  "AOC Edit Del Dt", "(Julian)" in later editions: YYYYDDD, or YYYYMMDD); primary "CCCCC" = contractor-defined.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime

from assistant.edits import schema
from assistant.edits.models import MAI_MEANINGS, MODIFIER_INDICATOR_MEANINGS

_CODE = re.compile(r"^[A-Z0-9]{5}$")


def check_code(text: str) -> str:
    """A 5-character CPT/HCPCS code, upper-cased; anything else is a ValueError."""
    code = text.strip().upper()
    if not _CODE.match(code):
        raise ValueError(f"{text!r} is not a 5-character CPT/HCPCS code")
    return code


def check_count(text: str) -> int:
    """A whole number of units, 0 or more."""
    value = text.strip()
    if not value.isdigit():
        raise ValueError(f"{text!r} is not a whole number of units (0 or more)")
    return int(value)


# A MUE is a unit count per line or per day: the largest in the 2026 Q2 practitioner table is 90,000. A value past
# this is a damaged file (and past 2**63 would not even fit SQLite's integer), never a limit (issue 24).
MAX_MUE_VALUE = 999_999


def check_mue_value(text: str) -> int:
    """A MUE value: a whole number of units from 0 to MAX_MUE_VALUE."""
    value = text.strip()
    if value.isdigit() and (len(value) > len(str(MAX_MUE_VALUE)) or int(value) > MAX_MUE_VALUE):
        raise ValueError(f"{value[:20]}{'...' if len(value) > 20 else ''} is outside the MUE range 0-{MAX_MUE_VALUE:,}")
    return check_count(text)


def check_mai(text: str) -> int:
    """CMS files give "3" or "3 Date of Service Edit: Clinical"; the leading digit is the indicator."""
    match = re.match(r"\s*(\d)\b", text)
    if not match or int(match.group(1)) not in MAI_MEANINGS:
        raise ValueError(f"{text!r} is not an MUE adjudication indicator (1, 2 or 3)")
    return int(match.group(1))


def check_modifier_indicator(text: str) -> int:
    """The PTP modifier indicator: 0, 1 or 9."""
    value = text.strip()
    if not value.isdigit() or int(value) not in MODIFIER_INDICATOR_MEANINGS:
        raise ValueError(f"{text!r} is not a PTP modifier indicator (0, 1 or 9)")
    return int(value)


def check_mai_words(text: str) -> str:
    """The words of an MAI cell ("3 Date of Service Edit: Clinical" -> "Date of Service Edit: Clinical")."""
    return " ".join(re.sub(r"^\s*\d\b\s*", "", text).split())


def check_text(text: str) -> str:
    """Free text with its runs of white space folded to one space."""
    return " ".join(text.split())


def check_date(text: str) -> date | None:
    """A CMS date: YYYYMMDD (PTP files), YYYYDDD (Julian, add-on code files) or YYYY-MM-DD; blank, "*" (no data)
    or "0000000" is None."""
    value = text.strip()
    if not value or value.strip("*0") == "":
        return None
    try:
        if re.fullmatch(r"\d{8}", value):
            return datetime.strptime(value, "%Y%m%d").date()
        if re.fullmatch(r"\d{7}", value):
            return datetime.strptime(value, "%Y%j").date()
        return date.fromisoformat(value)
    except ValueError:
        raise ValueError(f"{text!r} is not a date (YYYYMMDD, YYYYDDD or '*')") from None


def check_primary(text: str) -> str:
    """A primary code of the add-on code table, or "CCCCC" (primaries defined by the contractor)."""
    value = text.strip().upper()
    return "CCCCC" if value in ("CCCCC", "") else check_code(value)


def check_aoc_type(text: str) -> int:
    """The add-on code edit type 1, 2 or 3 ("Type 1" and Roman "I/II/III" are read too)."""
    value = text.strip().upper().removeprefix("TYPE").strip()
    roman = {"I": 1, "II": 2, "III": 3}
    number = roman.get(value) if value in roman else (int(value) if value.isdigit() else None)
    if number not in (1, 2, 3):
        raise ValueError(f"{text!r} is not an add-on code edit type (1, 2 or 3)")
    return number


@dataclass(frozen=True)
class Column:
    """One column the importer reads: its header name (or aliases) and how a value is checked.

    `prefix`: a header that starts with the name also matches (CMS headers append their legend: "Modifier
    0=not allowed 1=allowed 9=not applicable", "Deletion Date *=no data").
    """

    name: str
    check: Callable[[str], object]
    aliases: tuple[str, ...] = ()
    required: bool = True
    prefix: bool = False


@dataclass(frozen=True)
class Layout:
    """What distinguishes one CMS table from another; the loader in importers.py is shared."""

    table: str  # the live table name and edits_meta key
    kind: str  # "mue" | "ptp" | "aoc": how a checked row becomes a stored row
    label: str  # in summaries and errors: "MUE values", "PTP edits"
    title: str  # "practitioner MUE table": in errors and refusals
    command: str  # the CLI kind that imports it: "mue", "mue-oph" ...
    columns: tuple[Column, ...]
    create_sql: str
    insert_sql: str
    key_columns: int  # the leading columns that identify a row (a code, or a code pair)
    # A header column that shows the file is another table -> what to say.
    other_tables: dict[str, str] = field(default_factory=dict)
    # A file-name prefix that shows the file is another table -> what to say (PTP headers are the same for both).
    other_names: dict[str, str] = field(default_factory=dict)


_MUE_COMMON = (
    Column("hcpcs_cpt_code", check_code, aliases=("hcpcs_cpt", "hcpcs_code", "code")),
)
_MUE_TAIL = (
    Column("mai", check_mai, aliases=("mue_adjudication_indicator",)),
    # CMS files carry the words in the MAI column itself ("3 Date of Service Edit: Clinical").
    Column("mai_description", check_mai_words, aliases=("mue_adjudication_indicator",), required=False),
    Column("mue_rationale", check_text, aliases=("rationale",)),
)
_OPH_VALUE_NAMES = ("outpatient_hospital_services_mue_values", "outpatient_hospital_mue_values",
                    "outpatient_hospital_mue_value", "oph_mue_value", "facility_mue_value")
_PRACTITIONER_VALUE_NAMES = ("practitioner_mue_value", "practitioner_services_mue_values", "mue_value")
_DME = {"dme_supplier_services_mue_values": "this is the DME supplier MUE table, which the assistant does not use"}

MUE_LAYOUT = Layout(
    table="mue",
    kind="mue",
    label="MUE values",
    title="practitioner MUE table",
    command="mue",
    columns=(*_MUE_COMMON, Column(_PRACTITIONER_VALUE_NAMES[0], check_mue_value, aliases=_PRACTITIONER_VALUE_NAMES[1:]),
             *_MUE_TAIL),
    create_sql=schema.CREATE_MUE,
    insert_sql=schema.INSERT_MUE,
    key_columns=1,
    other_tables={name: "this is the outpatient hospital MUE table: import it with "
                  "`python -m assistant import mue-oph FILE`" for name in _OPH_VALUE_NAMES} | _DME,
)

MUE_OPH_LAYOUT = Layout(
    table="mue_oph",
    kind="mue",
    label="MUE values",
    title="outpatient hospital MUE table",
    command="mue-oph",
    columns=(*_MUE_COMMON, Column(_OPH_VALUE_NAMES[0], check_mue_value, aliases=_OPH_VALUE_NAMES[1:]), *_MUE_TAIL),
    create_sql=schema.CREATE_MUE,
    insert_sql=schema.INSERT_MUE,
    key_columns=1,
    other_tables={name: "this is the practitioner MUE table: import it with `python -m assistant import mue FILE`"
                  for name in _PRACTITIONER_VALUE_NAMES} | _DME,
)

_PTP_COLUMNS = (
    Column("column1", check_code, aliases=("column_1", "column_1_code")),
    Column("column2", check_code, aliases=("column_2", "column_2_code")),
    Column("modifier_indicator", check_modifier_indicator, aliases=("modifier",), prefix=True),
    Column("ptp_edit_rationale", check_text, aliases=("rationale", "ptp_rationale")),
    Column("deletion_date", check_date, aliases=("deletion",), required=False, prefix=True),
)

PTP_LAYOUT = Layout(
    table="ptp",
    kind="ptp",
    label="PTP edits",
    title="practitioner PTP table",
    command="ptp",
    columns=_PTP_COLUMNS,
    create_sql=schema.CREATE_PTP,
    insert_sql=schema.INSERT_PTP,
    key_columns=2,
    other_names={"ccioph": "the file is named like the outpatient hospital PTP table (ccioph-...): import it with "
                 "`python -m assistant import ptp-oph FILE`"},
)

PTP_OPH_LAYOUT = Layout(
    table="ptp_oph",
    kind="ptp",
    label="PTP edits",
    title="outpatient hospital PTP table",
    command="ptp-oph",
    columns=_PTP_COLUMNS,
    create_sql=schema.CREATE_PTP,
    insert_sql=schema.INSERT_PTP,
    key_columns=2,
    other_names={"ccipra": "the file is named like the practitioner PTP table (ccipra-...): import it with "
                 "`python -m assistant import ptp FILE`"},
)

AOC_LAYOUT = Layout(
    table="aoc",
    kind="aoc",
    label="add-on code edits",
    title="add-on code edit table",
    command="addon",
    columns=(
        Column("add_on_code", check_code, aliases=("addon_code", "aoc", "add_on_hcpcs_cpt_code", "addon")),
        Column("primary_code", check_primary, aliases=("primary_hcpcs_cpt_code", "primary")),
        Column("aoc_edit_type", check_aoc_type, aliases=("aoc_type", "edit_type", "type")),
        # CMS headers: "AOC Edit Del Dt", "AOC Del Dt", "Primary Code Del Dt", later editions with "(Julian)".
        Column("aoc_edit_deletion_date", check_date, aliases=("aoc_edit_del_dt", "aoc_deletion_date"),
               required=False, prefix=True),
        Column("add_on_code_deletion_date", check_date, aliases=("aoc_del_dt", "addon_code_deletion_date"),
               required=False, prefix=True),
        Column("primary_code_deletion_date", check_date, aliases=("primary_code_del_dt",), required=False,
               prefix=True),
    ),
    create_sql=schema.CREATE_AOC,
    insert_sql=schema.INSERT_AOC,
    key_columns=2,
)

LAYOUTS: dict[str, Layout] = {
    layout.table: layout for layout in (MUE_LAYOUT, MUE_OPH_LAYOUT, PTP_LAYOUT, PTP_OPH_LAYOUT, AOC_LAYOUT)
}
