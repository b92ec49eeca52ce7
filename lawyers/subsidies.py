"""Monthly subsidy statements from shifts actually signed in and cases
actually handled, at the office's rates; exports to XLSX and CSV."""

from __future__ import annotations

import csv
import io
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.db.models import QuerySet
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font

from lawyers.models import Lawyer, LawyerKind, LegalAidOffice, Shift, ShiftSlot, SubsidyRates
from lawyers.rosters import month_days

HALF = Decimal("0.5")


@dataclass
class Statement:
    lawyer: Lawyer
    shift_days: Decimal = Decimal(0)
    simple_cases: int = 0
    complex_cases: int = 0
    trial_defences: int = 0
    rates: SubsidyRates | None = None
    unsigned_shifts: int = 0
    lines: list[tuple[str, str, Decimal, Decimal]] = field(default_factory=list)

    @property
    def total(self) -> Decimal:
        return sum((amount for _l, _q, _r, amount in self.lines), Decimal(0))


def rates_for(*, office: LegalAidOffice, month: date) -> SubsidyRates:
    """The rates in force on the month's last day; the defaults if none are set."""
    last = month_days(month)[-1]
    rates = (
        SubsidyRates.objects.filter(office=office, effective_from__lte=last)
        .order_by("-effective_from")
        .first()
    )
    return rates or SubsidyRates(office=office, effective_from=month)


def office_statements(*, office: LegalAidOffice, month: date, lawyer: Lawyer | None = None):
    """One statement per lawyer of the office (or just ``lawyer``) for the month.

    Shift days count shifts signed in (a full day 1, a half day 0.5). Cases count
    once each, in the month the lawyer logged signed work on them: a duty-lawyer
    case is simple, an appointed-counsel case complex, at trial a trial defence.
    """
    from cases.models import HelpRecord, RecordStatus

    days = month_days(month)
    rates = rates_for(office=office, month=month)
    lawyers: QuerySet[Lawyer] = (
        Lawyer.objects.filter(office=office).exclude(kind=LawyerKind.STUDENT).select_related("user")
    )
    if lawyer is not None:
        lawyers = lawyers.filter(pk=lawyer.pk)
    statements = {lw.id: Statement(lawyer=lw, rates=rates) for lw in lawyers}
    shifts = Shift.objects.filter(
        lawyer_id__in=statements, date__gte=days[0], date__lte=days[-1]
    ).values_list("lawyer_id", "slot", "signed_in_at")
    for lawyer_id, slot, signed_in in shifts:
        if signed_in is None:
            statements[lawyer_id].unsigned_shifts += 1
            continue
        statements[lawyer_id].shift_days += Decimal(1) if slot == ShiftSlot.DAY else HALF
    handled = (
        HelpRecord.objects.filter(
            lawyer_id__in=statements,
            status=RecordStatus.SIGNED,
            started_at__date__gte=days[0],
            started_at__date__lte=days[-1],
        )
        .values_list("lawyer_id", "case_id", "case__tier", "case__stage")
        .distinct()
    )
    seen = defaultdict(set)
    for lawyer_id, case_id, tier, stage in handled:
        if case_id in seen[lawyer_id]:
            continue
        seen[lawyer_id].add(case_id)
        statement = statements[lawyer_id]
        if tier == "appointed_counsel" and stage == "trial":
            statement.trial_defences += 1
        elif tier == "appointed_counsel":
            statement.complex_cases += 1
        else:
            statement.simple_cases += 1
    for statement in statements.values():
        for label, quantity, rate in (
            (_("Shift days"), statement.shift_days, rates.shift_day),
            (_("Simple cases"), Decimal(statement.simple_cases), rates.case_simple),
            (_("Complex cases"), Decimal(statement.complex_cases), rates.case_complex),
            (_("Appointed trial defences"), Decimal(statement.trial_defences), rates.trial_defence),
        ):
            statement.lines.append((label, str(quantity.normalize()), rate, quantity * rate))
    return sorted(statements.values(), key=lambda s: (-s.total, s.lawyer.user.display_name))


def _rows(statements) -> tuple[list[str], list[list]]:
    header = [
        _("Lawyer"),
        _("Licence number"),
        _("Shift days"),
        _("Simple cases"),
        _("Complex cases"),
        _("Appointed trial defences"),
        _("Shifts not signed in"),
        _("Total (yuan)"),
    ]
    rows = [
        [
            spreadsheet_safe(s.lawyer.user.display_name),
            spreadsheet_safe(s.lawyer.licence_no or ""),
            float(s.shift_days),
            s.simple_cases,
            s.complex_cases,
            s.trial_defences,
            s.unsigned_shifts,
            float(s.total),
        ]
        for s in statements
    ]
    return header, rows


FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(value):
    """Text a spreadsheet would run as a formula (a name such as
    ``=HYPERLINK(...)``) is kept as text: a leading apostrophe, which
    spreadsheet programs show as nothing. Numbers pass unchanged."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def statements_csv(statements) -> bytes:
    header, rows = _rows(statements)
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header)
    writer.writerows(rows)
    # With a BOM, so spreadsheet programs open the Chinese names correctly.
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def statements_xlsx(statements, *, title: str) -> bytes:
    header, rows = _rows(statements)
    book = Workbook()
    sheet = book.active
    sheet.title = title[:31]
    sheet.append(header)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append(row)
    sheet.append([_("Total"), "", "", "", "", "", "", sum(r[-1] for r in rows)])
    for column in "ABCDEFGH":
        sheet.column_dimensions[column].width = 16
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
