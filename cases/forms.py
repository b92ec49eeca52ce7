from datetime import UTC, date, datetime

from django import forms
from django.core.validators import MinValueValidator
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cases.models import CaseStatus, HelpRecord, Procedure, Stage, Tier
from cases.records import KIND_FIELDS


class CaseFilterForm(forms.Form):
    q = forms.CharField(label=_("Reference"), required=False, max_length=100)
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("All statuses")), *CaseStatus.choices]
    )
    tier = forms.ChoiceField(
        label=_("Tier"), required=False, choices=[("", _("All tiers")), *Tier.choices]
    )
    stage = forms.ChoiceField(
        label=_("Stage"), required=False, choices=[("", _("All stages")), *Stage.choices]
    )
    procedure = forms.ChoiceField(
        label=_("Procedure"),
        required=False,
        choices=[("", _("All procedures")), *Procedure.choices],
    )


class IdentityRevealForm(forms.Form):
    reason = forms.CharField(
        label=_("Why do you need to see the identity?"),
        max_length=300,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )


class StudentGrantForm(forms.Form):
    student = forms.TypedChoiceField(label=_("Student assistant"), coerce=int, choices=())
    action = forms.ChoiceField(
        choices=[("grant", _("Grant access")), ("revoke", _("Revoke access"))]
    )

    def __init__(self, *args, students=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["student"].choices = [(s.id, s.user.display_name) for s in students]


# --- Legal-help records -----------------------------------------------------------


class YesNoField(forms.TypedChoiceField):
    """A yes/no answer that must be given explicitly (radio buttons)."""

    def __init__(self, *, label, **kwargs):
        super().__init__(
            label=label,
            choices=[("true", _("Yes")), ("false", _("No"))],
            coerce=lambda value: value == "true",
            empty_value=None,
            required=False,
            widget=forms.RadioSelect(attrs={"class": "yesno"}),
            **kwargs,
        )


EARLIEST_DATE = date(2000, 1, 1)
EARLIEST_MOMENT = datetime(2000, 1, 1, tzinfo=UTC)


class RecordForm(forms.Form):
    """The fields of one kind of record. Times are a date and two clock times,
    which phones pick natively; the service checks their order and length."""

    # Native pickers need ISO values, whatever the page's language.
    date = forms.DateField(
        label=_("Date"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        # The service bounds it by the case's notice; this keeps nonsense
        # years (0001) from reaching date arithmetic at all.
        validators=[MinValueValidator(EARLIEST_DATE)],
    )
    start = forms.TimeField(
        label=_("From"), widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
    )
    end = forms.TimeField(
        label=_("To"), widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, kind: str, **kwargs):

        super().__init__(*args, **kwargs)
        self.kind = kind
        names = [*KIND_FIELDS[kind], "summary"]
        generated = forms.fields_for_model(
            HelpRecord,
            fields=names,
            widgets={
                "summary": forms.Textarea(attrs={"rows": 4}),
                "requested_at": forms.DateTimeInput(
                    attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"
                ),
                "prosecutor_proposal": forms.Textarea(attrs={"rows": 2}),
                "lawyer_opinion": forms.Textarea(attrs={"rows": 2}),
                "agreed_recommendation": forms.Textarea(attrs={"rows": 2}),
                "objections": forms.Textarea(attrs={"rows": 3}),
                "retraction_reason": forms.Textarea(attrs={"rows": 3}),
            },
        )
        for name in names:
            field = generated[name]
            if isinstance(field, forms.DateTimeField):
                field.validators.append(MinValueValidator(EARLIEST_MOMENT))
            if isinstance(field, forms.NullBooleanField):
                field = YesNoField(label=field.label)
            field.required = False  # the service says what is missing, per kind
            self.fields[name] = field
        if "summary" in self.fields and kind in ("written_opinion", "case_opinion"):
            self.fields["summary"].label = _("Opinion")
            self.fields["summary"].widget.attrs["rows"] = 14

    def record_values(self) -> dict:
        data = dict(self.cleaned_data)
        day, start, end = data.pop("date"), data.pop("start"), data.pop("end")
        data.pop("version", None)
        data["started_at"] = timezone.make_aware(datetime.combine(day, start))
        data["ended_at"] = timezone.make_aware(datetime.combine(day, end))
        return data


class AnnotationForm(forms.Form):
    text = forms.CharField(
        label=_("Add an annotation"), widget=forms.Textarea(attrs={"rows": 2}), max_length=4000
    )


class HandoverForm(forms.Form):
    reviewed = forms.CharField(
        label=_("What was reviewed"), widget=forms.Textarea(attrs={"rows": 4}), required=False
    )
    agreed = forms.CharField(
        label=_("What was agreed"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    open_points = forms.CharField(
        label=_("Open points for the next lawyer"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )
