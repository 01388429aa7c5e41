"""The composer: one question -> `ParsedQuestion`, from the reading package's typed spans and small switches.

Pure functions over text: no corpus, no model, no I/O. `assistant/chat/reading/` does the reading (tokens with spans,
composed number words, typed spans, services, cues, follow-ups); this module only composes what it read into the
fields the router uses. The router adds what needs the corpus (drug names, a code's time rule).
"""

from __future__ import annotations

import re
from typing import Literal

from assistant.chat.reading import cues, timing
from assistant.chat.reading import switches as words
from assistant.chat.reading.clock import MINUTES_PER_DAY
from assistant.chat.reading.cues import mask_negations, other_families_named, parse_family
from assistant.chat.reading.followup import merge_conversation, merge_followup, needs_context
from assistant.chat.reading.problems import Problem
from assistant.chat.reading.question import CareSetting, ParsedQuestion, Payer
from assistant.chat.reading.spans import ClockRange, Dose, Duration, read
from assistant.chat.reading.text import escape_user_text, has_words
from assistant.chat.reading.timing import REPEAT_PUSH_MINIMUM_GAP, format_minutes
from assistant.corpus.codes import find_codes

# --------------------------------------------------------------------------------------------------------
# The parser
# --------------------------------------------------------------------------------------------------------



def sedation_age_problem(parsed: ParsedQuestion) -> Problem | None:
    """A child named with no age in a sedation question: never guess the age band, 99151/99155 (under 5) vs
    99152/99156 (CPT moderate sedation guidelines)."""
    if parsed.patient_under_5 is not None:
        return None
    child = words.CHILD.search(parsed.text.lower())
    return Problem("patient_age", child.group(0), child.span()) if child else None

def parse_question(text: str) -> ParsedQuestion:
    """Read one question. Never raises: input a units answer must refuse is listed in `problems`."""
    reading = read(text)
    t = reading.low  # lower-cased, same length as the question: every span below is a span of the question too
    problems: list[Problem] = []
    notes: list[str] = []

    codes = tuple(find_codes(text))
    code_minutes, blocked = timing.parse_code_minutes(t)

    def free(span: tuple[int, int]) -> bool:
        return not any(span[0] < e and s < span[1] for s, e in blocked)

    for match in words.DECIMAL_COMMA.finditer(t):
        problems.append(Problem("decimal_comma", match.group(0), match.span()))
        blocked.append(match.span())

    start = end = None
    minutes: int | None = None
    duration_text: str | None = None
    clocks = [c for c in reading.of(ClockRange) if free(c.span)]
    clock = clocks[0] if clocks else None
    if clock is not None:
        start, end, minutes = clock.start, clock.end, clock.minutes
        blocked.append(clock.span)
        duration_text = clock.surface.strip()
        if minutes == 0:
            problems.append(Problem("same_start_end", duration_text, clock.span))
        elif clock.backwards:
            problems.append(Problem("end_before_start", duration_text, clock.span))

    for problem in reading.problems:
        if not free(problem.span):
            continue
        problems.append(problem)
        blocked.append(problem.span)
    read_durations = [d for d in reading.of(Duration) if free(d.span)]
    for match in words.UNREAD_SUM.finditer(t):
        if free(match.span()) and not any(match.start() < d.span[1] and d.span[0] < match.end()
                                          for d in read_durations):
            problems.append(Problem("unread_sum", match.group(0), match.span()))
            blocked.append(match.span())

    base = words.BASE_UNITS.search(t)
    base_units = None
    if base:
        base_units = float(base.group("a") or base.group("b"))
        blocked.append(base.span())

    durations: list[timing.DurationFound] = []
    unit_of: dict[tuple[int, int], str | None] = {d.span: d.unit for d in read_durations}
    for duration in read_durations:
        if not free(duration.span):
            continue
        durations.append((duration.minutes, duration.surface.strip(), duration.span))
        if duration.how == "product":
            notes.append(f"I read '{escape_user_text(duration.surface)}' as a multiplication: "
                         f"{format_minutes(duration.minutes)}; ask again with the total if that is not right.")
    blocked.extend(span for _, _, span in durations)
    push_question = cues.PUSH_WORD.search(t) is not None
    push_gaps: list[timing.DurationFound] = []
    if push_question:
        durations, push_gaps = timing.split_push_intervals(t, durations)
        for _, typed, _ in push_gaps:
            notes.append(f"I read '{escape_user_text(typed)}' as the time between pushes, not as how long a "
                         "service lasted.")
    durations, excluded, unclear = timing.split_excluded_time(t, durations)
    problems.extend(unclear)
    if not code_minutes:
        durations, other_service, unattached = timing.durations_of_the_first_service(t, durations)
        problems.extend(unattached)
        if other_service and not unattached:
            notes.append(f"I counted only the time given with the service this answer counts "
                         f"({escape_user_text(' + '.join(d[1] for d in durations))}); the other time "
                         f"({escape_user_text(' + '.join(d[1] for d in other_service))}) is for another service "
                         "and is not added in: ask about that service separately.")
    if durations and minutes is None:
        minutes = sum(d[0] for d in durations)
        duration_text = " + ".join(d[1] for d in durations)
        if len(durations) > 1:
            notes.append(f"I read {len(durations)} separate durations ({duration_text}) and added them up "
                         f"to {format_minutes(minutes)}; ask again with the total if that is not right.")
    if excluded and minutes is not None and not unclear:
        taken_out = sum(abs(d[0]) for d in excluded)
        counted_from = duration_text
        minutes -= taken_out
        duration_text = f"{counted_from} - " + " - ".join(re.sub(r"^(?:minus|negative)\s+|^-\s*", "", d[1])
                                                         for d in excluded)
        notes.append(f"I took the excluded time ({' + '.join(escape_user_text(d[1]) for d in excluded)}) out of "
                     f"{escape_user_text(counted_from or '')}: {format_minutes(minutes)} counted; ask again with "
                     "the time to count if that is not right.")
        if minutes <= 0:
            problems.append(Problem("excluded_all", duration_text))
    for total, typed, span in durations:
        if total < 0:
            problems.append(Problem("negative_duration", typed, span))
    units_typed = {unit_of.get(span) for _, _, span in durations}
    duration_unit = units_typed.pop() if clock is None and len(units_typed) == 1 else None
    if len(code_minutes) == 1 and minutes is None:
        # One code with its minutes ("99291 110 min") is the duration of that code's service.
        minutes = next(iter(code_minutes.values()))
        duration_text = f"{minutes} min"
    over_a_day = minutes is not None and minutes > MINUTES_PER_DAY
    if over_a_day:
        problems.append(Problem("too_long", duration_text or format_minutes(minutes or 0)))

    # A dose followed by "vial(s)" is the container's size, not the dose given.
    vial_is = [m.span("size") for m in words.VIAL_IS.finditer(t)]
    doses = [d for d in reading.of(Dose) if free(d.span) and not words.AFTER_DOSE_IS_CONTAINER.match(t[d.span[1]:])
             and not any(d.span[0] <= start < d.span[1] for start, _ in vial_is)]
    dose = (doses[0].amount, doses[0].unit, doses[0].surface) if doses else None
    if dose is not None and dose[1] in words.PER_BODY_SIZE:
        dose = words.per_body_size(dose, reading, notes, problems)
    if dose is not None and (multiplied_dose := words.MULTIPLIED_DOSE.search(t)):
        problems.append(Problem("multiplied_dose", multiplied_dose.group(0), multiplied_dose.span()))

    t_cues = mask_negations(t)
    t = words.question_digits(reading)  # number words as digits for the count patterns below ("two sites" = "2 sites")
    vial = words.VIALS.search(t) or words.VIAL_IS.search(t)
    sites = pumps = None
    if m := words.SITES.search(t):
        sites = int(m.group("n"))
    elif m := words.SITE_ORDINAL.search(t):
        sites = words.ordinal_count(m.group("o"))
    if m := words.PUMPS.search(t):
        pumps = int(m.group("n"))
    elif m := words.PUMP_ORDINAL.search(t):
        pumps = words.ordinal_count(m.group("o"))

    pushes = injections = sequential = None
    if m := words.PUSH_COUNT.search(t):
        pushes = int(m.group("n"))
    elif m := words.PUSH_ORDINAL.search(t):
        pushes = words.ordinal_count(m.group("o"))
    if m := words.INJECTION_COUNT.search(t):
        injections = int(m.group("n"))
    same_drug_pushes: int | None = None
    if push_question and timing.SAME_DRUG.search(t):
        # "second push, same drug": the repeat is not a new drug (+96375); only the first push counts as a push.
        pushes = 1
        if not push_gaps:
            problems.append(Problem("repeat_push_gap", "", detail={"gap": str(REPEAT_PUSH_MINIMUM_GAP)}))
        elif max(gap[0] for gap in push_gaps) > REPEAT_PUSH_MINIMUM_GAP:
            same_drug_pushes = 1
        else:
            same_drug_pushes = 0
            notes.append(f"A push of the same drug {format_minutes(max(g[0] for g in push_gaps))} after the first "
                         f"is not reported again: +96376 needs more than {REPEAT_PUSH_MINIMUM_GAP} minutes between "
                         "them (CPT).")
    if m := words.SEQUENTIAL.search(t):
        sequential = int(m.group("n") or 1)

    with_em: bool | None = None
    if words.WITHOUT_EM.search(t):
        with_em = False
    elif words.WITH_EM.search(t):
        with_em = True

    sedation_by: Literal["same", "other"] | None = None
    if words.SEDATION_SAME.search(t):
        sedation_by = "same"
    elif words.SEDATION_OTHER.search(t):
        sedation_by = "other"

    under_5: bool | None = None
    if m := words.AGE.search(t):
        under_5 = int(m.group("a") or m.group("b") or m.group("c")) < 5
    elif words.UNDER_5.search(t):
        under_5 = True
    elif words.OVER_5.search(t):
        under_5 = False

    family, family_cue = parse_family(text)
    prolonged_pump = True if family == "chemo_infusion" and timing.CHEMO_PUMP.search(t_cues) else None
    payer = words.first_value(words.PAYER_CUES, t)
    notes.extend(note for pattern, note in words.PAYER_NOTES if re.search(pattern, t))
    has_together = bool(words.STRONG_TOGETHER.search(t)) or (len(codes) >= 2 and bool(words.TOGETHER.search(t)))

    return ParsedQuestion(
        text=text,
        codes=codes,
        minutes=minutes,
        start=start,
        end=end,
        duration_text=duration_text,
        dose=dose[0] if dose else None,
        dose_unit=dose[1] if dose else None,
        payer=payer,
        setting=words.first_value(words.SETTING_CUES, text),
        code_minutes=code_minutes if len(code_minutes) >= 2 or words.is_therapy_minutes(code_minutes) else None,
        pump_setups=pumps,
        sites=sites,
        patient=words.first_value(words.PATIENT_CUES, t),
        with_em=with_em,
        sedation_by=sedation_by,
        patient_under_5=under_5,
        base_units=base_units,
        pushes=pushes,
        same_drug_pushes=same_drug_pushes,
        prolonged_pump=prolonged_pump,
        injections=injections,
        sequential_infusions=sequential,
        concurrent_infusion=True if words.CONCURRENT.search(t) else None,
        family=family,
        family_cue=family_cue,
        other_families=other_families_named(text),
        together=has_together,
        asks_units=bool(words.ASKS_UNITS.search(t)),
        followup=bool(words.FOLLOWUP.search(t)),
        problems=tuple(problems),
        over_a_day=over_a_day,
        vial_size=float(vial.group("size")) if vial else None,
        vial_unit={"ml": "mL", "unit": "units"}.get(vial.group("unit"), vial.group("unit")) if vial else None,
        vials=int(vial.group("n")) if vial and vial.groupdict().get("n") else None,
        single_dose=(vial.group("kind") == "single" if vial.groupdict().get("kind") else None) if vial else None,
        notes=tuple(notes),
        duration_unit=duration_unit,
        bare_number=words.bare_number(t, codes) if dose is None and minutes is None and clock is None else None,
    )


def parse_conversation(user_turns: list[str], question: str) -> ParsedQuestion:
    """Parse `question` in the context of earlier user turns (oldest first), re-reading each earlier turn."""
    return merge_conversation([parse_question(turn) for turn in [*user_turns, question]])

__all__ = ["CareSetting", "ParsedQuestion", "Payer", "escape_user_text", "has_words", "merge_followup", "needs_context",
           "parse_conversation", "parse_family", "parse_question"]
