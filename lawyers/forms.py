from django import forms
from django.utils.translation import gettext_lazy as _

from lawyers.models import Lawyer, LawyerKind


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
