from django import forms
from django.utils.translation import gettext_lazy as _

from lawyers.models import Lawyer, LawyerKind, Workstation


class MonthField(forms.DateField):
    """A month as YYYY-MM (the browser's month picker), stored as its first day."""

    widget = forms.DateInput(attrs={"type": "month"}, format="%Y-%m")
    input_formats = ["%Y-%m"]


class RosterCreateForm(forms.Form):
    month = MonthField(label=_("Month"))


class ShiftEditForm(forms.Form):
    lawyer = forms.ModelChoiceField(
        label=_("Lawyer"),
        queryset=Lawyer.objects.none(),
        required=False,
        empty_label=_("— open shift —"),
    )
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, office_id: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["lawyer"].queryset = (
            Lawyer.objects.filter(office_id=office_id, active=True)
            .exclude(kind=LawyerKind.STUDENT)
            .select_related("user")
            .order_by("user__full_name")
        )


class VersionForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)


class MonthQueryForm(forms.Form):
    month = MonthField(label=_("Month"), required=False)


WEEKDAYS = [
    (0, _("Monday")),
    (1, _("Tuesday")),
    (2, _("Wednesday")),
    (3, _("Thursday")),
    (4, _("Friday")),
    (5, _("Saturday")),
    (6, _("Sunday")),
]
DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class LeaveForm(forms.Form):
    lawyer = forms.ModelChoiceField(label=_("Lawyer"), queryset=Lawyer.objects.none())
    date_from = forms.DateField(label=_("From"), widget=DATE)
    date_to = forms.DateField(label=_("To"), widget=DATE)
    reason = forms.CharField(label=_("Reason"), max_length=200, required=False)

    def __init__(self, *args, office_id: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["lawyer"].queryset = (
            Lawyer.objects.filter(office_id=office_id)
            .exclude(kind=LawyerKind.STUDENT)
            .select_related("user")
            .order_by("user__full_name")
        )


class ClosureForm(forms.Form):
    workstation = forms.ModelChoiceField(label=_("Workstation"), queryset=None)
    date_from = forms.DateField(label=_("From"), widget=DATE)
    date_to = forms.DateField(label=_("To"), widget=DATE)
    reason = forms.CharField(label=_("Reason"), max_length=200, required=False)

    def __init__(self, *args, office_id: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["workstation"].queryset = Workstation.objects.filter(office_id=office_id)


class RatesForm(forms.Form):
    effective_from = forms.DateField(label=_("Effective from"), widget=DATE)
    shift_day = forms.DecimalField(label=_("Per shift day (yuan)"), max_digits=8, decimal_places=2)
    case_simple = forms.DecimalField(label=_("Per simple case"), max_digits=8, decimal_places=2)
    case_complex = forms.DecimalField(label=_("Per complex case"), max_digits=8, decimal_places=2)
    trial_defence = forms.DecimalField(
        label=_("Per appointed trial defence"), max_digits=8, decimal_places=2
    )


class AvailabilityForm(forms.Form):
    available_weekdays = forms.TypedMultipleChoiceField(
        label=_("Available on"),
        choices=WEEKDAYS,
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    max_shifts_per_week = forms.IntegerField(label=_("Most shifts a week"))
    max_shifts_per_month = forms.IntegerField(label=_("Most shifts a month"))
    preferred = forms.ModelMultipleChoiceField(
        label=_("Preferred workstations"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, office_id: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["preferred"].queryset = Workstation.objects.filter(office_id=office_id)
