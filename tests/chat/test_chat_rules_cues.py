"""RULES' cue rows (issue 14) in assistant/chat/reading/cues.py: the family each question names and the request
fields its words fill. No model, no corpus: the cue tables alone."""

from __future__ import annotations

import pytest

from assistant.chat.reading.cues import FAMILY_CUES, FIELD_CUES, field_values, parse_family
from assistant.units import FAMILIES, UnitsRequest

CASES = [
    pytest.param("crisis psychotherapy 80 min", "crisis_psychotherapy", {}, id="crisis"),
    pytest.param("psychotherapy for crisis 50 minutes", "crisis_psychotherapy", {}, id="psychotherapy-for-crisis"),
    pytest.param("psychotherapy 60 min with interactive complexity", "psychotherapy",
                 {"interactive_complexity": True}, id="interactive-complexity"),
    pytest.param("no interpreter, psychotherapy 45 min", "psychotherapy", {}, id="negated-interpreter"),
    pytest.param("psychotherapy with family member present 45 min", "psychotherapy", {},
                 id="family-member-is-not-family-therapy"),
    pytest.param("family psychotherapy with patient present 50 min", "family_psychotherapy",
                 {"patient_present": True}, id="family-with-patient"),
    pytest.param("family therapy without the patient 40 min", "family_psychotherapy",
                 {"patient_present": False}, id="family-without-patient"),
    pytest.param("subsequent hospital care 30 minutes", "hospital_em", {"visit": "subsequent"},
                 id="subsequent-hospital"),
    pytest.param("hospital discharge day management 45 minutes", "hospital_em", {"visit": "discharge"},
                 id="discharge"),
    pytest.param("initial hospital care 80 min", "hospital_em", {"visit": "initial"}, id="initial-hospital"),
    pytest.param("observation same day admit and discharge 80 min", "hospital_em", {"visit": "same_day"},
                 id="same-day-admit-discharge"),
    pytest.param("initial nursing facility 50 minutes", "nursing_facility_em", {"visit": "initial"}, id="nf-initial"),
    pytest.param("home visit new patient 80 min", "home_em", {"patient": "new"}, id="home-new"),
    pytest.param("CCM 45 minutes this month", "care_management", {"care_program": "ccm_staff"}, id="ccm"),
    pytest.param("complex CCM 95 minutes", "care_management", {"care_program": "ccm_complex"}, id="complex-ccm"),
    pytest.param("PCM by clinical staff 60 minutes", "care_management", {"care_program": "pcm_staff"},
                 id="pcm-staff"),
    pytest.param("principal care management 30 min", "care_management", {"care_program": "pcm_physician"},
                 id="pcm-practitioner"),
    pytest.param("colonoscopy with moderate sedation by the endoscopist, medicare", "sedation",
                 {"gi_endoscopy": True}, id="gi-sedation"),
    pytest.param("anesthesia 00790 base 7, 0812 to 0925, medicare", "anesthesia", {"anesthesia_code": "00790"},
                 id="anesthesia-code"),
    pytest.param("medicare PT eval 97162 plus ther ex 97110 20 min", "therapy", {"untimed_codes": ["97162"]},
                 id="pt-eval-untimed"),
    pytest.param("office visit new patient 45 min", "office_em", {}, id="office-stays-office"),
    pytest.param("critical care 80 min", "critical_care", {}, id="critical-care-untouched"),
]


@pytest.mark.parametrize(("question", "family", "fields"), CASES)
def test_family_and_fields(question, family, fields):
    assert parse_family(question)[0] == family
    assert field_values(family, question) == fields


def test_every_cue_names_a_units_family_and_a_request_field():
    assert {cue.family for cue in FAMILY_CUES} <= set(FAMILIES)
    for cue in FIELD_CUES:
        assert set(cue.families) <= set(FAMILIES)
        assert cue.field in UnitsRequest.model_fields
        UnitsRequest(family=cue.families[0], **{cue.field: cue.value})  # the value is one the engine accepts
