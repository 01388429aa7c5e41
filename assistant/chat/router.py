"""Route a parsed question and build the answer. The order (first that applies wins; docs/chat.md explains it):
1. no letter or digit -> help; input a units answer must refuse ("-3 hours") -> units, no codes, the reason
2. POS, coverage, ICD-10-CM codes or words asking for a diagnosis -> chat/diagnosis_route.py (issue 18); fee
   schedule words, changes between releases, dated MUE/PTP -> fees_chat.release_and_fee_answer (issue 19)
3. a rule question with nothing to count (not a code pair, not units of a code) -> guideline article (issue 23)
4. MUE/PTP questions, two or more codes with billing-together words -> edits (naming the article of the rule)
5. a duration, clock range, per-code minutes or a dose -> units (family from lay cues, a typed code's time rule,
   corpus lay terms); a number that is part of a description ("four leads") -> search instead (described.py)
6. a code -> lookup (unknown code: "not found" with near codes); known words -> search; else help
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from pydantic import ValidationError

from assistant.chat import answers
from assistant.chat.described import described_hook, described_without_numbers, sibling_notes
from assistant.chat.diagnosis_route import diagnosis_hook
from assistant.chat.drug_choice import narrowed
from assistant.chat.edits_chat import answer_edits_question, mue_lookup_for, ptp_answer
from assistant.chat.fees_chat import release_and_fee_answer
from assistant.chat.guidelines_chat import (
    answer_guideline_question,
    link_edits_answer,
    link_units_answer,
    units_of_a_code,
)
from assistant.chat.lookup import lookup_answer
from assistant.chat.parse import ParsedQuestion, escape_user_text, has_words, sedation_age_problem
from assistant.chat.reading.cues import field_values
from assistant.chat.reading.services import Service
from assistant.chat.services_route import add_waste_lines, encounter_hook, keep_typed_em, several_services
from assistant.chat.visit_reading import VisitReading
from assistant.contract import Answer, Payer, Setting
from assistant.corpus.codes import find_code_spans, find_modifiers, find_ndcs
from assistant.corpus.drug_qualifiers import qualifier_hint
from assistant.corpus.records import CodeRecord
from assistant.units import COUNT_FAMILIES as _UNITS_COUNT_FAMILIES
from assistant.units import UnitsError, UnitsRequest, calculate

# Families whose units come from a duration (everything but drug doses).
TIME_FAMILIES = frozenset(answers.FAMILY_NAMES) - {"drug_units"}
# Problems of the single-service reading that the whole-encounter engine settles from the visit's own times.
ENCOUNTER_PROBLEMS = frozenset({"too_long", "repeat_push_gap"})
# Families counted per service, with no time needed ("2 IV pushes", "chemo push how many units"): the registry's.
COUNT_FAMILIES = frozenset(_UNITS_COUNT_FAMILIES)

_STOPWORDS = frozenset((
    "a", "an", "the", "is", "it", "of", "for", "to", "in", "on", "at", "by", "and", "or", "with", "what", "how",
    "do", "i", "my", "me", "can", "you", "code", "codes", "cpt", "hcpcs", "bill", "billing", "about", "this", "that",
    "was", "were", "are", "be", "pt", "patient", "please", "help", "hi", "hello", "thanks", "thank",
    # Numbers and time words say how much, not what: alone they must not steer a search or a family guess.
    "hour", "hours", "hr", "hrs", "min", "mins", "minute", "minutes", "unit", "units", "many", "much", "long",
    "time", "total", "if", "same", "then", "now", "also", "but", "so", "ok", "okay", "instead", "get", "got",
))
_WORD = re.compile(r"[a-z][a-z0-9/-]+")


def _sentence_case(text: str) -> str:
    """First letter upper-cased, the rest kept ("IV hydration" stays, "critical care" -> "Critical care")."""
    return text[:1].upper() + text[1:]


@dataclass
class RouteContext:
    """Everything a route needs besides the question: resolved payer/setting and notes to pass on."""

    payer: Payer
    setting: Setting
    warnings: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    state: str | None = None  # issue 18: the state (or MAC) whose coverage articles apply
    date_of_service: date | None = None  # the request's; a date typed in the question wins (chat/dates.py)
    visit: VisitReading = field(default_factory=VisitReading, repr=False, compare=False)  # read once per answer


class Router:
    """Turns a `ParsedQuestion` into an `Answer` using the corpus, the retriever and the NCCI tables."""

    def __init__(self, corpus: Any, retriever: Any, edits: Any | None) -> None:
        self.corpus = corpus
        self.retriever = retriever
        self.edits = edits
        self._drug_terms, self._drug_pattern = self._compile_terms(lambda r: r.billing_unit is not None)
        self._time_terms, self._time_pattern = self._compile_terms(
            lambda r: r.time_rule is not None and r.time_rule != "drug_units"
        )
        self.vocabulary = self._vocabulary()

    # ---------------------------------------------------------------------------------------------------
    # corpus helpers
    # ---------------------------------------------------------------------------------------------------

    def _compile_terms(
        self, keep: Callable[[CodeRecord], bool]
    ) -> tuple[dict[str, list[CodeRecord]], re.Pattern[str]]:
        """Lay terms of the kept records -> every record carrying the term (corpus order), and one regex that finds
        them, longest first. A term on several records ("normal saline": three bag sizes) keeps them all, so the
        caller can tell them apart instead of silently taking the first."""
        terms: dict[str, list[CodeRecord]] = {}
        for record in self.corpus:
            if not keep(record):
                continue
            for term in record.lay_terms:
                records = terms.setdefault(term.casefold(), [])
                if record not in records:
                    records.append(record)
        if not terms:
            return terms, re.compile(r"(?!x)x")
        alternatives = "|".join(re.escape(t) for t in sorted(terms, key=len, reverse=True))
        return terms, re.compile(rf"(?<![\w-])(?:{alternatives})(?![\w-])", re.IGNORECASE)

    def _vocabulary(self) -> frozenset[str]:
        words: set[str] = set()
        for record in self.corpus:
            for text in (record.title, record.description, *record.lay_terms, record.family, record.time_rule or ""):
                words.update(_WORD.findall(text.casefold()))
        for name in answers.FAMILY_NAMES.values():
            words.update(_WORD.findall(name))
        return frozenset(words)

    def knows_words(self, text: str) -> bool:
        """True when the question holds a coding word the corpus knows (so a search can be meaningful)."""
        for word in _WORD.findall(text.casefold()):
            if word in _STOPWORDS:
                continue
            if word in self.vocabulary or word.rstrip("s") in self.vocabulary:
                return True
        return False

    def descriptions(self, codes: Sequence[str]) -> dict[str, str]:
        """Code -> our corpus title, for the codes the corpus has."""
        result = {}
        for code in codes:
            record = self.corpus.get(code)
            if record is not None:
                result[code] = record.title
        return result

    def find_drug(self, parsed: ParsedQuestion) -> tuple[CodeRecord | None, str | None]:
        """The drug code the dose is for (a typed code with a billing unit, else a lay term or brand), or None with
        the reason when the words fit several codes and the dose does not pick one."""
        for code in parsed.codes:
            record = self.corpus.get(code)
            if record is not None and record.billing_unit is not None:
                return record, None
        # This turn first, then the earlier turns it follows; a shared name is narrowed by the strength given.
        dictionary = getattr(self.corpus, "drugs", None)
        for text in (parsed.text, *reversed(parsed.earlier_texts)):
            if match := self._drug_pattern.search(text):
                records, note = narrowed(dictionary, self._drug_terms[match.group(0).casefold()], match.group(0),
                                         text, parsed.dose, parsed.dose_unit)  # route, form, strength (drug_choice)
                return self._one_package(records, parsed, match.group(0)) if records else (None, note)
            # The drug dictionary (CODES: brand/generic names from the crosswalk and descriptors, NDCs in any shape).
            for mention in dictionary.find(text) if dictionary is not None and hasattr(dictionary, "find") else ():
                candidates, note = narrowed(dictionary, mention.candidates, mention.surface, text, parsed.dose,
                                            parsed.dose_unit)
                if candidates or note:
                    return self._one_package(candidates, parsed, mention.surface) if candidates else (None, note)
        return None, None

    @staticmethod
    def _one_package(
        candidates: list[CodeRecord], parsed: ParsedQuestion, term: str
    ) -> tuple[CodeRecord | None, str | None]:
        """The one record the words and dose name among codes that share a lay term, or None and why.

        A terminated code gives way to a current one (J3370 ended 2025-06-30, J3373 replaces it). Current codes that
        share the words differ by package (normal saline: J7030 1000 cc, J7040 500 mL, J7050 250 cc) or brand, so
        only a dose equal to one package names its code; any other dose (750 mL) is asked, never rounded up.
        """
        current = [r for r in candidates if r.terminated_on is None] or candidates
        if len(current) == 1:
            return current[0], None
        unit = (parsed.dose_unit or "").casefold()
        exact = [
            r
            for r in current
            if r.billing_unit is not None
            and r.billing_unit.unit.casefold() == unit
            and r.billing_unit.quantity == parsed.dose
        ]
        if len(exact) == 1:
            return exact[0], None
        choices = ", ".join(f"{r.code} ({r.title}, {r.billing_unit.quantity:g} {r.billing_unit.unit} a unit)"
                            for r in current if r.billing_unit is not None)
        return None, (
            f"'{escape_user_text(term)}' fits several codes: {choices}. Each product or package size is reported "
            "with its own code, so name the code, or the product and the package sizes actually given."
            + qualifier_hint(current)  # issue 17: the typed word that decides (ESRD indication, oral vs IV)
        ).rstrip(".")

    def mue_lookup_for(self, setting: str) -> Callable[[str], Any] | None:
        """The units engine's MUE look-up from the claim setting's table only (practitioner for professional,
        outpatient hospital for facility; `edits_chat.mue_lookup_for` over `edits.ClaimEdits`), or None when that
        table is not loaded. The encounter route finds it by this name."""
        return mue_lookup_for(self.edits, setting)

    def mue_lookup(self) -> Callable[[str], Any] | None:
        """The practitioner (professional claim) MUE look-up; a route with a claim setting uses `mue_lookup_for`."""
        return self.mue_lookup_for("professional")

    # ---------------------------------------------------------------------------------------------------
    # routing
    # ---------------------------------------------------------------------------------------------------

    def answer(self, parsed: ParsedQuestion, context: RouteContext) -> Answer:
        """The answer for a parsed question (see the module docstring for the order of the decision)."""
        if not has_words(parsed.text):
            return answers.help_answer("I did not find a question in your message.")
        if parsed.problems:
            if all(problem.kind in ENCOUNTER_PROBLEMS for problem in parsed.problems):
                # A visit longer than 24 hours is split by date of service by the encounter engine, never refused
                # (issue 11); a same-drug repeat push is placed by its clock times (the engine asks when they are
                # not given); anything else over a day is asked.
                encounter = encounter_hook(self, self.services(parsed, context), context)
                if encounter is not None:
                    return described_without_numbers(self, parsed, context, encounter)  # issue 22: a description
            return described_hook(self, parsed, context,  # issue 22: "four leads" is a search (described.py)
                                  lambda: answers.units_problem_answer(parsed.problems, context.warnings))
        diagnosis_answer = diagnosis_hook(self, parsed, context)  # issue 18: POS, coverage, ICD-10-CM
        if diagnosis_answer is not None:
            return diagnosis_answer
        fee_answer = None if parsed.has_duration else release_and_fee_answer(parsed, context, self)  # issue 19
        if fee_answer is not None:
            return fee_answer
        # Two codes billed together ("A w/ B?", "A and B both?") and units of a code ("is 96372 x5 ok?") are NCCI
        # questions: the edits answer first (issue 17), naming the guideline article when a rule is asked (issue 23).
        # Any other rule question with nothing to count gets the article, with the table facts of its codes.
        pair = len(parsed.codes) >= 2 and parsed.together and not parsed.code_minutes
        if not pair and not units_of_a_code(parsed.text):
            guideline = answer_guideline_question(parsed, context, self)
            if guideline is not None:
                return guideline
        edits_answer = self._edits_hook(parsed, context)
        if edits_answer is not None:
            return link_edits_answer(edits_answer, parsed)
        if pair:
            return link_edits_answer(self.edits_route(parsed, context), parsed)
        if parsed.has_quantity or self._counts_services(parsed):
            return described_hook(self, parsed, context,  # issue 22: a described thing with a number -> search
                                  lambda: link_units_answer(keep_typed_em(self.units_route(parsed, context), parsed,
                                                                  context.payer), parsed, self))
        if not parsed.codes and not parsed.earlier_texts:
            # A visit of administrations with no time or dose ("IVP toradol, IVP zofran, IVP reglan", "zofran IVP,
            # then zofran again 40 min later") is an encounter, not a search (issue 17 class 3).
            visit = encounter_hook(self, self.services(parsed, context), context)
            if visit is not None:
                return visit
        if parsed.codes or find_modifiers(parsed.text) or find_ndcs(parsed.text):  # issue 12: look-ups
            return self.lookup_route(parsed, context)
        if parsed.followup and parsed.family is None:
            return answers.help_answer("I could not tell which earlier question this follows; please ask it in full "
                                       "(for example *subq 3 hours*).")
        if self.knows_words(parsed.text):
            return self.search_route(parsed, context)
        return answers.help_answer("I did not recognise a coding question in your message.")

    def _edits_hook(self, parsed: ParsedQuestion, context: RouteContext) -> Answer | None:
        """EDITS' MUE/PTP/scrub answers in any phrasing (assistant/chat/edits_chat.py), before units and look-up."""
        if not parsed.codes or parsed.has_duration:
            return None
        return answer_edits_question(parsed, context, self)

    def find_drugs(self, text: str) -> list[tuple[str, tuple[int, int], str | None]]:
        """Drug names in `text` from the corpus (the drug dictionary when present, else the records' lay terms):
        (words as typed, span, administration category or None). Never a second hard-coded drug list."""
        dictionary = getattr(self.corpus, "drugs", None)
        if dictionary is not None and hasattr(dictionary, "find"):
            found = []
            for mention in dictionary.find(text):
                # A category only when every code the name fits has it, never the first candidate's (Lupron Depot).
                categories = {dictionary.administration_category(r.code) for r in dictionary.resolve(mention.candidates)
                              } if mention.candidates else set()
                category = categories.pop() if len(categories) == 1 else None
                found.append((mention.surface, (mention.start, mention.end), category))
            return found
        return [(m.group(0), m.span(), "chemotherapy" if any(r.code.startswith("J9") for r in
                                                             self._drug_terms[m.group(0).casefold()]) else None)
                for m in self._drug_pattern.finditer(text)]

    def services(self, parsed: ParsedQuestion, context: RouteContext | None = None) -> list[Service]:
        """The services of this turn (issue 10 item 2), drugs from the corpus; read once per answer (context.visit)."""
        return (context.visit if context is not None else VisitReading()).services(parsed, self.find_drugs)

    # --- units ------------------------------------------------------------------------------------------

    @staticmethod
    def _counts_services(parsed: ParsedQuestion) -> bool:
        """A push or injection question that asks for units needs no time ("chemo push how many units")."""
        if parsed.family == "sedation" and field_values("sedation", parsed.text).get("gi_endoscopy"):
            return True  # Medicare G0500 (sedation with a GI endoscopy): the engine says what time it needs
        return parsed.family in COUNT_FAMILIES and not parsed.codes and (
            parsed.asks_units or parsed.pushes is not None or parsed.injections is not None
        )

    def resolve_time_family(self, parsed: ParsedQuestion) -> tuple[str | None, str | None]:
        """The units family for a duration and a note on how it was chosen (None when it was named plainly)."""
        if parsed.family in TIME_FAMILIES:
            return parsed.family, None
        for code in [*parsed.codes, *(parsed.code_minutes or {})]:
            record = self.corpus.get(code)
            if record is not None and record.time_rule in TIME_FAMILIES:
                return record.time_rule, None
        match = self._time_pattern.search(parsed.text)
        if match:
            # Records sharing a time-family lay term share its family in the corpus; the first names it.
            record = self._time_terms[match.group(0).casefold()][0]
            return record.time_rule, None
        # Never borrow a family (issue 10 item 4): the retriever's nearest record does not choose a time rule.
        return None, None

    def units_route(self, parsed: ParsedQuestion, context: RouteContext) -> Answer:
        """Count units with the engine: a time family for a duration, drug units for a dose (both when both)."""
        services = self.services(parsed, context) if not parsed.earlier_texts else []
        encounter = encounter_hook(self, services, context)
        if encounter is not None:
            if parsed.vial_size is not None and parsed.dose is not None and \
                    len([s for s in services if s.dose is not None]) == 1:
                # The vial typed with the visit's one drug dose: its JW/JZ lines (Medicare single-dose containers).
                drug, _ = self.find_drug(parsed)
                if drug is not None and any(line.code == drug.code for line in encounter.codes):
                    add_waste_lines(encounter, parsed, drug, context)
            return encounter
        several = several_services(self, parsed, services, context)
        if several is not None:
            return several
        requests: list[dict[str, Any]] = []
        notes = list(context.notes)
        warnings = list(context.warnings)
        summary_parts: list[str] = []
        drug: CodeRecord | None = None
        drug_ambiguity: str | None = None
        if parsed.dose is not None:
            drug, drug_ambiguity = self.find_drug(parsed)
        if parsed.has_duration:
            family, how = self.resolve_time_family(parsed)
            if family is None:
                return self.not_counted_answer(parsed, context)
            if family == "sedation" and (age := sedation_age_problem(parsed)) is not None:
                return answers.units_problem_answer([age], context.warnings)
            if how:
                warnings.append(how)
            for other in parsed.other_families:
                if other != family:
                    warnings.append(f"Your question also mentions {answers.FAMILY_NAMES[other]}; this answer counts "
                                    f"only {answers.FAMILY_NAMES[family]}. Ask about the other service separately.")
            requests.append(self._time_request(parsed, family, context))
            summary_parts.append(self._time_summary(parsed, family))
        elif parsed.family is not None and (parsed.family in COUNT_FAMILIES or self._counts_services(parsed)):
            requests.append(self._time_request(parsed, parsed.family, context))
            summary_parts.append(_sentence_case(answers.FAMILY_NAMES[parsed.family]))
        if parsed.dose is not None:
            if drug is None and drug_ambiguity is not None:
                if not requests:
                    return answers.units_problem_answer([drug_ambiguity], warnings)
                warnings.append(f"No drug line is counted: {drug_ambiguity}.")
            elif drug is None:
                if not requests:
                    return answers.units_problem_answer(
                        [f"I could not tell which drug the dose of {parsed.dose:g} {parsed.dose_unit} is for: name the "
                         "drug (generic or brand) or its J code"], warnings)
                warnings.append(f"A dose ({parsed.dose:g} {parsed.dose_unit}) was given but no drug I know was named, "
                                "so no drug line is counted.")
            else:
                requests.append(self._drug_request(parsed, drug, context))
                summary_parts.append(f"Drug units, {drug.code} dose {parsed.dose:g} {parsed.dose_unit}")
        if not requests:
            return answers.help_answer("I could not tell which service to count: name it with its time or dose.")
        results = []
        try:
            for request in requests:
                results.append(self._calculate(request))
        except UnitsError as error:
            return answers.units_problem_answer([escape_user_text(str(error)).rstrip(".")], warnings)
        except ValidationError as error:
            problem = error.errors()[0]
            where = ".".join(str(p) for p in problem.get("loc", ())) or "input"
            return answers.units_problem_answer([f"{where}: {problem['msg']}"], warnings)
        codes_in_answer = {line.code for r in results for line in r.lines if line.units}
        warnings.extend(self._orphan_add_on_warnings(codes_in_answer))
        warnings.extend(parsed.notes)
        summary = "; ".join(summary_parts) + f", {answers.setting_name(results[0].setting)}"
        codes = sorted(codes_in_answer)
        answer = answers.units_answer(results, self.descriptions(codes), summary, warnings, notes)
        if drug is not None and parsed.vial_size is not None and parsed.dose is not None:
            add_waste_lines(answer, parsed, drug, context)
        return answer

    def not_counted_answer(self, parsed: ParsedQuestion, context: RouteContext) -> Answer:
        """A time for a service no family cue, code or lay term names: say so, offer a search, bill nothing."""
        typed = escape_user_text(parsed.duration_text or "")
        if parsed.followup or not self.knows_words(parsed.text) or self.retriever is None:
            return answers.help_answer(
                f"I see a time ({typed}) but not which service it was. Name it, for example *subq*, *hydration*, "
                "*IV infusion*, *chemo*, *critical care*, *psychotherapy*, *sedation* or *anesthesia*."
            )
        hits = self.retriever.search(parsed.text, k=5)
        return answers.not_counted_answer(parsed.text, typed, hits, context.warnings)

    def _calculate(self, fields: dict[str, Any]) -> Any:
        return calculate(UnitsRequest(**fields), mue_lookup=self.mue_lookup_for(fields["setting"]))

    @staticmethod
    def _time_summary(parsed: ParsedQuestion, family: str) -> str:
        name = _sentence_case(answers.FAMILY_NAMES[family])
        if parsed.start is not None and parsed.end is not None:
            return (f"{name}, {parsed.start:%H:%M} to {parsed.end:%H:%M} = "
                    f"{answers.format_minutes(parsed.minutes or 0)}")
        if parsed.code_minutes and family == "therapy":
            return f"{name}, " + ", ".join(f"{c} {m} min" for c, m in parsed.code_minutes.items())
        return f"{name}, {answers.format_minutes(parsed.minutes or 0)}"

    @staticmethod
    def _time_request(parsed: ParsedQuestion, family: str, context: RouteContext) -> dict[str, Any]:
        request: dict[str, Any] = {"family": family, "payer": context.payer, "setting": context.setting}
        if family == "therapy" and parsed.code_minutes:
            request["code_minutes"] = dict(parsed.code_minutes)
        elif parsed.start is not None and parsed.end is not None:
            request["start"], request["end"] = parsed.start, parsed.end
        elif parsed.minutes is not None:
            request["minutes"] = parsed.minutes
        optional = {
            "pump_setups": parsed.pump_setups,
            "sites": parsed.sites,
            "patient": parsed.patient,
            "with_em": parsed.with_em,
            "sedation_by": parsed.sedation_by,
            "patient_under_5": parsed.patient_under_5,
            "base_units": parsed.base_units,
            "pushes": parsed.pushes,
            "same_drug_pushes": parsed.same_drug_pushes,
            "prolonged_pump": parsed.prolonged_pump,
            "injections": parsed.injections,
            "sequential_infusions": parsed.sequential_infusions,
            "concurrent_infusion": parsed.concurrent_infusion,
        }
        request.update({key: value for key, value in optional.items() if value is not None})
        # Variant fields the words set for this family (RULES' FIELD_CUES: visit, patient_present, care_program ...):
        # earlier turns first, this turn's words win.
        for text in (*parsed.earlier_texts, parsed.text):
            request.update(field_values(family, text))
        return request

    @staticmethod
    def _drug_request(parsed: ParsedQuestion, drug: CodeRecord, context: RouteContext) -> dict[str, Any]:
        assert drug.billing_unit is not None
        return {
            "family": "drug_units",
            "payer": context.payer,
            "setting": context.setting,
            "drug_code": drug.code,
            "dose": parsed.dose,
            "dose_unit": parsed.dose_unit,
            "billing_quantity": drug.billing_unit.quantity,
            "billing_unit": drug.billing_unit.unit,
        }

    def _orphan_add_on_warnings(self, codes: set[str]) -> list[str]:
        """An add-on code in the answer without any of its primary codes is flagged (it cannot be billed alone)."""
        warnings = []
        for code in sorted(codes):
            record = self.corpus.get(code)
            if record is not None and record.add_on_to and not codes.intersection(record.add_on_to):
                warnings.append(f"{code} is an add-on code: report it only with {', '.join(record.add_on_to)} "
                                "(its primary code is not in this answer).")
        return warnings

    # --- lookup -----------------------------------------------------------------------------------------

    def lookup_route(self, parsed: ParsedQuestion, context: RouteContext) -> Answer:
        """Each typed code, modifier and NDC with a verdict (assistant/chat/lookup.py, issue 12 items 1-3)."""
        typed = list(dict.fromkeys(span.code for span in find_code_spans(parsed.text)))
        codes = [*typed, *(code for code in parsed.codes if code not in typed)]
        return lookup_answer(codes, self.corpus, self.retriever, self.edits, context)

    # --- edits ------------------------------------------------------------------------------------------

    def edits_route(self, parsed: ParsedQuestion, context: RouteContext) -> Answer:
        """NCCI PTP edits between the typed codes, from the claim setting's table (never the other setting's), or
        how to load it: the same answer as the edits hook gives (`edits_chat.ptp_answer`)."""
        answer = ptp_answer(list(parsed.codes), context.setting, self)
        answer.warnings.extend(context.warnings)
        return answer

    # --- search -----------------------------------------------------------------------------------------

    def search_route(self, parsed: ParsedQuestion, context: RouteContext) -> Answer:
        """Ranked codes for a question without a code or a quantity."""
        hits = self.retriever.search(parsed.text, k=5) if self.retriever is not None else []
        answer = answers.search_answer(hits, [*context.notes, *sibling_notes(parsed.text, hits)])  # issue 22 item 4
        answer.warnings.extend(context.warnings)
        return answer
