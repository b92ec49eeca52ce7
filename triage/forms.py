from django import forms
from django.utils.translation import gettext_lazy as _

from cases.models import Tier
from lawyers.models import Procuratorate
from triage.models import TriagePolicy
from triage.services import POLICY_FIELDS


class QueueFilterForm(forms.Form):
    SORTS = [("urgent", _("Most urgent first")), ("newest", _("Newest first"))]
    sort = forms.ChoiceField(label=_("Order"), choices=SORTS, required=False)
    tier = forms.ChoiceField(
        label=_("Tier"), required=False, choices=[("", _("All tiers")), *Tier.choices]
    )
    procuratorate = forms.ModelChoiceField(
        label=_("Procuratorate"),
        queryset=Procuratorate.objects.none(),
        required=False,
        empty_label=_("All procuratorates"),
    )
    mandatory = forms.BooleanField(label=_("Mandatory defence only"), required=False)
    short_notice = forms.BooleanField(label=_("Short notice only"), required=False)

    def __init__(self, *args, office_id=None, **kwargs):
        super().__init__(*args, **kwargs)
        procuratorates = Procuratorate.objects.order_by("code")
        if office_id:
            procuratorates = procuratorates.filter(office_id=office_id)
        self.fields["procuratorate"].queryset = procuratorates


class OverrideForm(forms.Form):
    tier = forms.ChoiceField(label=_("New tier"), choices=Tier.choices)
    reason = forms.CharField(
        label=_("Reason for the change"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
    )
    expected_decision = forms.IntegerField(widget=forms.HiddenInput, required=False)


class PolicyForm(forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput)

    class Meta:
        model = TriagePolicy
        fields = POLICY_FIELDS
