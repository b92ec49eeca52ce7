"""Triage: decide each case's tier from the rules and the office policy,
explainably, and let staff override with a written reason."""

from __future__ import annotations

from datetime import date, datetime

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cases.models import Case, CaseStatus, OffenceTier, Tier, TimelineEntry, TimelineKind
from dutylaw.errors import DomainError, ErrorItem, StateHasChanged
from lawyers.models import LegalAidOffice, User
from triage.models import DayCount, DecisionKind, TriageDecision, TriagePolicy
from triage.rules import APPOINTED, MANDATORY, REGISTRY, RULES, WITHIN_LIMIT, Facts
from triage.workdays import days_between

POLICY_FIELDS = (
    "sentence_threshold_months",
    "max_charges",
    "file_volumes_threshold",
    "co_accused_to_counsel",
    "notice_days_fast_track",
    "notice_days_summary",
    "notice_days_ordinary",
    "notice_day_count",
    "auto_assign",
    "daily_case_cap",
    "diversion_hours",
)
OVERRIDE_REASON_MIN = 10


# --- Policy -------------------------------------------------------------------


def policy_current(
    *, office: LegalAidOffice | None = None, office_id: int | None = None
) -> TriagePolicy:
    """The office's newest policy version; version 1 with the defaults if none."""
    office_id = office_id or office.pk
    newest = TriagePolicy.objects.filter(office_id=office_id).order_by("-version")
    found = newest.first()
    if found is not None:
        return found
    try:
        with transaction.atomic():
            return TriagePolicy.objects.create(office_id=office_id, version=1)
    except IntegrityError:  # another process created it first
        return newest.first()


@transaction.atomic
def policy_update(
    *, office: LegalAidOffice, acting_user: User, expected_version: int, values: dict
) -> TriagePolicy:
    """Save the next policy version. Refused when someone saved a version since
    the user loaded the form (no lost update), or when a value is out of range."""
    current = policy_current(office=office)
    current = TriagePolicy.objects.select_for_update().get(pk=current.pk)
    if current.version != expected_version:
        raise StateHasChanged(
            ErrorItem(
                "version",
                "state_changed",
                _("Someone saved the policy meanwhile (now version %(v)s). Reload and try again.")
                % {"v": current.version},
            )
        )
    policy = TriagePolicy(office=office, version=current.version + 1, created_by=acting_user)
    for name in POLICY_FIELDS:
        setattr(policy, name, values.get(name, getattr(current, name)))
    try:
        policy.full_clean(exclude=["office", "created_by"])
    except ValidationError as exc:
        raise DomainError(
            *(
                ErrorItem(field, "invalid", message)
                for field, messages in exc.message_dict.items()
                for message in messages
            )
        ) from None
    policy.save()
    return policy


# --- Facts, rules and notice -------------------------------------------------------


def triage_facts(
    *,
    tiers: list[OffenceTier],
    possible_sentence_max_months: int | None,
    flags,
    file_volumes: int,
    co_accused_refs,
    birth_date: date | None,
    disabilities,
    on: date,
) -> Facts:
    """The facts triage looks at. The possible sentence is the prosecutor's
    estimate, or else the upper bound of the highest charged tier."""
    if possible_sentence_max_months is not None:
        months = possible_sentence_max_months
    elif tiers and all(t.max_months is not None for t in tiers):
        months = max(t.max_months for t in tiers)
    else:
        months = None
    age = None
    if birth_date is not None:
        age = on.year - birth_date.year - ((on.month, on.day) < (birth_date.month, birth_date.day))
    return Facts(
        sentence_months=months,
        life=any(t.life for t in tiers),
        death=any(t.death for t in tiers),
        charge_codes=tuple(t.offence.code for t in tiers),
        flags=frozenset(flags),
        file_volumes=file_volumes,
        co_accused=len(co_accused_refs),
        age=age,
        disabilities=frozenset(disabilities),
    )


def case_facts(case: Case, *, on: date) -> Facts:
    accused = getattr(case, "accused", None)
    charges = case.charges.select_related("offence_tier__offence")
    return triage_facts(
        tiers=[charge.offence_tier for charge in charges],
        possible_sentence_max_months=case.possible_sentence_max_months,
        flags=case.flags,
        file_volumes=case.file_volumes,
        co_accused_refs=case.co_accused_refs,
        birth_date=accused.birth_date if accused else None,
        disabilities=accused.disabilities if accused else (),
        on=on,
    )


def _reason(rule_code: str, params: dict) -> dict:
    rule = REGISTRY[rule_code]
    return {
        "rule": rule_code,
        "params": params,
        "detail_zh": rule.explain(params, "zh-hans"),
        "detail_en": rule.explain(params, "en"),
    }


def triage_evaluate(facts: Facts, policy: TriagePolicy) -> tuple[str, bool, list[dict]]:
    """(tier, mandatory_defence, reasons) for the facts under the policy."""
    fired = [(rule, params) for rule in RULES if (params := rule.test(facts, policy)) is not None]
    mandatory = any(rule.effect == MANDATORY for rule, _params in fired)
    if any(rule.effect in (MANDATORY, APPOINTED) for rule, _params in fired):
        return Tier.APPOINTED_COUNSEL, mandatory, [_reason(r.code, p) for r, p in fired]
    params = WITHIN_LIMIT.test(facts, policy)
    return Tier.DUTY_LAWYER, False, [_reason(WITHIN_LIMIT.code, params)]


def notice_is_sufficient(
    *, procedure: str, notified_at: datetime, needed_by: datetime | None, policy: TriagePolicy
) -> bool | None:
    """Whether the lawyer had the policy's notice; None when no date is needed."""
    if needed_by is None:
        return None
    start = timezone.localtime(notified_at).date()
    end = timezone.localtime(needed_by).date()
    working = policy.notice_day_count == DayCount.WORKING
    return days_between(start, end, working=working) >= policy.notice_days_for(procedure)


# --- Decisions -----------------------------------------------------------------


def _apply(case: Case, decision: TriageDecision, *extra_fields: str) -> None:
    case.tier = decision.tier
    case.mandatory_defence = decision.mandatory_defence
    fields = ["tier", "mandatory_defence", "updated_at", *extra_fields]
    if case.status == CaseStatus.NEW:
        case.status = CaseStatus.TRIAGED
        fields.append("status")
    case.save(update_fields=fields)


def triage_timeline_entry(decision: TriageDecision) -> TimelineEntry:
    return TimelineEntry(
        case=decision.case,
        kind=TimelineKind.TRIAGED,
        at=decision.decided_at,
        data={
            "tier": decision.tier,
            "mandatory_defence": decision.mandatory_defence,
            "policy_version": decision.policy.version,
        },
    )


def triage_decide(
    *,
    facts: Facts,
    office_id: int,
    procedure: str,
    notified_at: datetime,
    needed_by,
    decided_at: datetime | None = None,
    policy: TriagePolicy | None = None,
) -> tuple[TriageDecision, bool | None]:
    """An unsaved automatic decision and the notice verdict, for a case not yet
    stored, under ``policy`` if the caller has read the office's current one."""
    policy = policy or policy_current(office_id=office_id)
    tier, mandatory, reasons = triage_evaluate(facts, policy)
    decision = TriageDecision(
        kind=DecisionKind.AUTOMATIC,
        tier=tier,
        mandatory_defence=mandatory,
        reasons=reasons,
        policy=policy,
        decided_at=decided_at or notified_at,
    )
    notice = notice_is_sufficient(
        procedure=procedure, notified_at=notified_at, needed_by=needed_by, policy=policy
    )
    return decision, notice


@transaction.atomic
def case_triage(*, case: Case, at: datetime | None = None) -> TriageDecision:
    """Decide a stored case's tier automatically and record why, with the
    policy version (re-triage, and cases stored before triage)."""
    now = at or timezone.now()
    notified_at = case.created_at or now
    facts = case_facts(case, on=timezone.localtime(notified_at).date())
    decision, notice = triage_decide(
        facts=facts,
        office_id=case.office_id,
        procedure=case.procedure,
        notified_at=notified_at,
        needed_by=case.needed_by,
        decided_at=now,
    )
    decision.case = case
    decision.save()
    case.notice_sufficient = notice
    _apply(case, decision, "notice_sufficient")
    triage_timeline_entry(decision).save()
    return decision


def case_current_decision(case: Case) -> TriageDecision | None:
    prefetched = getattr(case, "decisions", None)
    if prefetched is not None:
        return prefetched[0] if prefetched else None
    return case.triage_decisions.select_related("policy", "decided_by").first()


@transaction.atomic
def case_triage_override(
    *,
    case: Case,
    tier: str,
    reason: str,
    acting_user: User,
    expected_decision_id: int | None,
    at: datetime | None = None,
) -> TriageDecision:
    """Staff set the tier by hand, with a written reason, kept beside the rules'
    decision. Mandatory-defence cases always keep appointed counsel."""
    case = Case.objects.select_for_update().get(pk=case.pk)
    current = case.triage_decisions.first()
    if (current.id if current else None) != expected_decision_id:
        raise StateHasChanged(
            ErrorItem(
                "tier",
                "state_changed",
                _("The tier was changed by someone else meanwhile. Reload and try again."),
            )
        )
    problems = []
    if tier not in Tier.values:
        problems.append(ErrorItem("tier", "invalid_choice", _("Choose a tier.")))
    elif case.mandatory_defence and tier != Tier.APPOINTED_COUNSEL:
        problems.append(
            ErrorItem(
                "tier",
                "mandatory_defence",
                _("Mandatory-defence cases must have appointed counsel (CPL 35, 278)."),
            )
        )
    elif current is not None and current.tier == tier:
        problems.append(ErrorItem("tier", "unchanged", _("The case already has this tier.")))
    reason = (reason or "").strip()
    if len(reason) < OVERRIDE_REASON_MIN:
        problems.append(
            ErrorItem(
                "reason",
                "too_short",
                _("Explain the change in at least %(n)s characters.") % {"n": OVERRIDE_REASON_MIN},
            )
        )
    if not case.is_open:
        problems.append(ErrorItem("tier", "case_closed", _("The case is no longer open.")))
    if problems:
        raise DomainError(*problems)
    now = at or timezone.now()
    decision = TriageDecision.objects.create(
        case=case,
        kind=DecisionKind.OVERRIDE,
        tier=tier,
        mandatory_defence=case.mandatory_defence,
        reasons=current.reasons if current else [],
        policy=current.policy if current else policy_current(office=case.office),
        override_reason=reason,
        decided_by=acting_user,
        decided_at=now,
    )
    _apply(case, decision)
    TimelineEntry.objects.create(
        case=case,
        kind=TimelineKind.TRIAGE_OVERRIDDEN,
        at=now,
        actor=acting_user,
        data={"tier": tier, "from": current.tier if current else "", "reason": reason},
    )
    return decision


def decision_reasons(decision: TriageDecision | None, language: str) -> list[dict]:
    """[{"rule", "title", "detail"}] in the language, as recorded at decision time."""
    if decision is None:
        return []
    key = "detail_en" if language.startswith("en") else "detail_zh"
    out = []
    for reason in decision.reasons:
        rule = REGISTRY.get(reason["rule"])
        out.append(
            {
                "rule": reason["rule"],
                "title": str(rule.title) if rule else reason["rule"],
                "detail": reason.get(key) or reason.get("detail_zh", ""),
            }
        )
    return out
