"""The relations the reader found between services (reading/relations.py) -> the `Administration` relation fields
of the encounter engine (units/encounter/relations.py), by row index (issue 17 class 4; encounters.md A4, A5, A8).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from assistant.chat.answers import cell

# Reader relation -> Administration field.
FIELDS = {"mixed_with": "mixed_with", "carrier_of": "carrier_of", "concurrent_with": "concurrent_with",
          "piggybacked_into": "piggyback_on", "included_in": "included_in"}
_PARTS = ("mixed_with", "carrier_of", "included_in")


def included_note(service: Any) -> str | None:
    """"port accessed" beside a drug administration: said to be included, never asked about as a service."""
    if getattr(service, "drug", None) or not any(r.kind == "included_in" for r in getattr(service, "relations", ())):
        return None
    return (f"'{cell(service.words)}': access to the port or line and the IV start are part of the drug administration "
            "service, not reported on their own (CPT drug administration notes; encounters.md A8).")


def link_rows(rows: list[dict[str, Any]], services: Sequence[Any]) -> None:
    """Each row's relation fields from its service's relations (`_from` = the service's index; copies of a service
    given several times carry none). A part of a part joins the administration that stands alone."""
    first: dict[int, int] = {}
    for number, row in enumerate(rows):
        if row.get("_from") is not None:
            first.setdefault(row["_from"], number)
    for service_index, number in first.items():
        for relation in getattr(services[service_index], "relations", ()):
            target = first.get(relation.other)
            field = FIELDS.get(relation.kind)
            if target is not None and field is not None and target != number and rows[number].get(field) is None:
                rows[number][field] = target
    for row in rows:
        for field in _PARTS:
            target = row.get(field)
            seen: set[int] = set()
            while target is not None and target not in seen:
                seen.add(target)
                host = next((rows[target].get(f) for f in _PARTS if rows[target].get(f) is not None), None)
                if host is None:
                    break
                target = host
            if target is not None:
                row[field] = target if rows.index(row) != target else None


__all__ = ["FIELDS", "included_note", "link_rows"]
