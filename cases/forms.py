from django import forms
from django.utils.translation import gettext_lazy as _

from cases.models import CaseStatus, Procedure, Stage, Tier


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
