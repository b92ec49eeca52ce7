from django import forms
from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _

from dutylaw.errors import DomainError
from triage.assignment import adverse_interest_add
from triage.callbacks import delivery_retry
from triage.models import (
    AdverseInterest,
    CallbackDelivery,
    Deadline,
    Escalation,
    Notification,
    OutboxMessage,
    TriageDecision,
    TriagePolicy,
)


class ReadOnlyAdmin(admin.ModelAdmin):
    """Records the product writes itself: visible, never edited by hand."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(TriagePolicy)
class TriagePolicyAdmin(ReadOnlyAdmin):
    list_display = ["office", "version", "sentence_threshold_months", "auto_assign", "created_at"]
    list_filter = ["office"]


@admin.register(TriageDecision)
class TriageDecisionAdmin(ReadOnlyAdmin):
    list_display = ["case", "kind", "tier", "mandatory_defence", "decided_at", "decided_by"]
    list_filter = ["kind", "tier"]
    list_select_related = ["case", "decided_by"]


@admin.register(Deadline)
class DeadlineAdmin(ReadOnlyAdmin):
    list_display = ["case", "kind", "state", "due_at", "next_check_at", "basis_text"]
    list_filter = ["kind", "state"]
    list_select_related = ["case"]
    exclude = ["basis", "basis_params"]
    readonly_fields = ["basis_text"]

    @admin.display(description=_("basis"))
    def basis_text(self, deadline: Deadline) -> str:
        return deadline.basis_text


@admin.register(Escalation)
class EscalationAdmin(ReadOnlyAdmin):
    list_display = ["case", "lawyer", "reason", "created_at"]
    list_select_related = ["case", "lawyer__user"]


@admin.register(Notification)
class NotificationAdmin(ReadOnlyAdmin):
    list_display = ["user", "title", "created_at", "read_at"]
    list_select_related = ["user"]


@admin.register(OutboxMessage)
class OutboxMessageAdmin(ReadOnlyAdmin):
    list_display = ["task", "created_at", "sent_at", "done_at", "attempts"]
    list_filter = [("done_at", admin.EmptyFieldListFilter)]


@admin.register(CallbackDelivery)
class CallbackDeliveryAdmin(ReadOnlyAdmin):
    """The delivery log; a failed delivery can be sent again."""

    list_display = [
        "created_at",
        "client",
        "case",
        "event",
        "status",
        "attempts",
        "last_status",
        "next_attempt_at",
    ]
    list_filter = ["status", "event", "client"]
    list_select_related = ["client", "case"]
    actions = ["redeliver"]

    @admin.action(description=_("Deliver again"))
    def redeliver(self, request, queryset):
        for delivery in queryset:
            delivery_retry(delivery=delivery)
        self.message_user(request, _("Queued for delivery."), messages.SUCCESS)


class AdverseInterestForm(forms.ModelForm):
    id_number = forms.CharField(
        label=_("Resident ID number"),
        max_length=18,
        help_text=_("Only a hash is stored; the number itself is not kept."),
    )

    class Meta:
        model = AdverseInterest
        fields = ["lawyer", "note"]

    def clean(self):
        data = super().clean()
        from stdnum.cn import ric

        number = (data.get("id_number") or "").strip().upper()
        if number and not ric.is_valid(number):
            self.add_error("id_number", _("Enter a valid resident ID number."))
        return data


@admin.register(AdverseInterest)
class AdverseInterestAdmin(admin.ModelAdmin):
    """The conflict register: lawyers who must never help a given person."""

    form = AdverseInterestForm
    list_display = ["lawyer", "note", "created_at"]
    list_select_related = ["lawyer__user"]
    raw_id_fields = ["lawyer"]

    def has_change_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        try:
            saved = adverse_interest_add(
                lawyer=form.cleaned_data["lawyer"],
                id_number=form.cleaned_data["id_number"],
                note=form.cleaned_data.get("note", ""),
            )
        except DomainError as error:
            self.message_user(request, error.items[0].message, messages.ERROR)
            return
        obj.pk = saved.pk
