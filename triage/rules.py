"""The triage rules: declared once, each with a code, an explanation in Chinese
and English, and the policy thresholds it reads.

A rule looks at the case's facts and the office policy and returns the
parameters of its explanation when it fires, or None. Mandatory-defence rules
force appointed counsel and set ``mandatory_defence``; the others send the case
to appointed counsel; when none fires the case stays with a duty lawyer.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.utils import translation
from django.utils.translation import gettext_lazy as _

MANDATORY = "mandatory"
APPOINTED = "appointed"
DUTY = "duty"

ORGANIZED_CRIME_CODES = ("CL294", "CL294.2", "CL294.3")
SENSORY = {"visual", "hearing", "speech"}
MENTAL = {"intellectual", "mental"}


@dataclass(frozen=True)
class Facts:
    """What triage looks at, gathered once from the case."""

    sentence_months: int | None  # None: open-ended (life or death)
    life: bool
    death: bool
    charge_codes: tuple[str, ...]
    flags: frozenset[str]
    file_volumes: int
    co_accused: int
    age: int | None
    disabilities: frozenset[str] = field(default_factory=frozenset)


@dataclass(frozen=True)
class Rule:
    code: str
    effect: str
    title: Any  # lazy translation
    detail: Any  # lazy translation with %(name)s parameters
    test: Callable[[Facts, Any], dict | None]

    def explain(self, params: dict, language: str) -> str:
        with translation.override(language):
            return str(self.detail) % localise_params(params, language)


def _minor(facts: Facts, policy) -> dict | None:
    if facts.age is not None and facts.age < 18:
        return {"age": facts.age}
    return None


def _sensory(facts: Facts, policy) -> dict | None:
    found = sorted(facts.disabilities & SENSORY)
    return {"kinds": ", ".join(found)} if found else None


def _mental(facts: Facts, policy) -> dict | None:
    found = sorted(facts.disabilities & MENTAL)
    return {"kinds": ", ".join(found)} if found else None


def _life_or_death(facts: Facts, policy) -> dict | None:
    if facts.death:
        return {"penalty": "death"}
    if facts.life:
        return {"penalty": "life"}
    return None


def _sentence_over(facts: Facts, policy) -> dict | None:
    limit = policy.sentence_threshold_months
    if facts.sentence_months is None or facts.sentence_months > limit:
        return {"months": facts.sentence_months or 180, "threshold": limit}
    return None


def _several_charges(facts: Facts, policy) -> dict | None:
    count = len(facts.charge_codes)
    if count > policy.max_charges:
        return {"count": count, "limit": policy.max_charges}
    return None


def _organized(facts: Facts, policy) -> dict | None:
    if "organized_crime" in facts.flags or any(
        c in ORGANIZED_CRIME_CODES for c in facts.charge_codes
    ):
        return {}
    return None


def _complex_evidence(facts: Facts, policy) -> dict | None:
    return {} if "complex_evidence" in facts.flags else None


def _large_file(facts: Facts, policy) -> dict | None:
    if facts.file_volumes > policy.file_volumes_threshold:
        return {"volumes": facts.file_volumes, "threshold": policy.file_volumes_threshold}
    return None


def _co_accused(facts: Facts, policy) -> dict | None:
    if policy.co_accused_to_counsel and facts.co_accused > 0:
        return {"count": facts.co_accused}
    return None


RULES: tuple[Rule, ...] = (
    Rule(
        "mandatory_minor",
        MANDATORY,
        _("Minor"),
        _("The accused is %(age)s years old, a minor: defence is mandatory (CPL 278)."),
        _minor,
    ),
    Rule(
        "mandatory_sensory_disability",
        MANDATORY,
        _("Blind, deaf or mute"),
        _("The accused has a %(kinds)s impairment: defence is mandatory (CPL 35, LAL 25)."),
        _sensory,
    ),
    Rule(
        "mandatory_mental_capacity",
        MANDATORY,
        _("Not fully able to recognise or control own conduct"),
        _(
            "The accused may not fully recognise or control their conduct (%(kinds)s): "
            "defence is mandatory (CPL 35, LAL 25)."
        ),
        _mental,
    ),
    Rule(
        "mandatory_life_or_death",
        MANDATORY,
        _("Possible life imprisonment or death"),
        _("A charged sentencing tier reaches %(penalty)s: defence is mandatory (CPL 35, LAL 25)."),
        _life_or_death,
    ),
    Rule(
        "sentence_over_threshold",
        APPOINTED,
        _("Possible sentence over the limit"),
        _(
            "The possible sentence is %(months)s months, over the office's limit of "
            "%(threshold)s months for duty lawyers."
        ),
        _sentence_over,
    ),
    Rule(
        "several_charges",
        APPOINTED,
        _("Several charges"),
        _("%(count)s charges, more than the %(limit)s a duty lawyer takes."),
        _several_charges,
    ),
    Rule(
        "organized_crime",
        APPOINTED,
        _("Organised crime"),
        _("The case involves organised crime (涉黑涉恶)."),
        _organized,
    ),
    Rule(
        "complex_evidence",
        APPOINTED,
        _("Complex evidence"),
        _("The procuratorate marked the evidence as complex."),
        _complex_evidence,
    ),
    Rule(
        "large_file",
        APPOINTED,
        _("Large case file"),
        _("%(volumes)s file volumes, more than the office's limit of %(threshold)s."),
        _large_file,
    ),
    Rule(
        "co_accused",
        APPOINTED,
        _("Co-accused"),
        _("The case has %(count)s co-accused."),
        _co_accused,
    ),
)

WITHIN_LIMIT = Rule(
    "sentence_within_3_years",
    DUTY,
    _("Simple case"),
    _(
        "Possible sentence %(months)s months, within the office's limit of %(threshold)s "
        "months; no rule calls for appointed counsel."
    ),
    lambda facts, policy: {
        "months": facts.sentence_months,
        "threshold": policy.sentence_threshold_months,
    },
)

REGISTRY: dict[str, Rule] = {rule.code: rule for rule in (*RULES, WITHIN_LIMIT)}

# Translated words used inside explanations.
PENALTY_WORDS = {"life": _("life imprisonment"), "death": _("the death penalty")}
DISABILITY_WORDS = {
    "visual": _("visual"),
    "hearing": _("hearing"),
    "speech": _("speech"),
    "intellectual": _("intellectual disability"),
    "mental": _("mental illness"),
}


def localise_params(params: dict, language: str) -> dict:
    """Turn codes inside parameters into words of ``language``."""
    with translation.override(language):
        out = dict(params)
        if "penalty" in out:
            out["penalty"] = str(PENALTY_WORDS.get(out["penalty"], out["penalty"]))
        if "kinds" in out:
            separator = "、" if language.startswith("zh") else ", "
            out["kinds"] = separator.join(
                str(DISABILITY_WORDS.get(k.strip(), k.strip())) for k in out["kinds"].split(",")
            )
        return out
