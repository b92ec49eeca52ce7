from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _

from cases.api_clients import api_client_revoke, api_client_rotate
from cases.models import (
    Accused,
    ApiClient,
    Assignment,
    Case,
    CaseCharge,
    Offence,
    OffenceTier,
    PiiAccess,
)


class OffenceTierInline(admin.TabularInline):
    model = OffenceTier
    extra = 0


@admin.register(Offence)
class OffenceAdmin(admin.ModelAdmin):
    list_display = ["code", "name_zh", "name_en", "article", "effective_from"]
    search_fields = ["code", "name_zh", "name_en"]
    inlines = [OffenceTierInline]


class AccusedInline(admin.StackedInline):
    """Identity fields are left out: they are seen on the case page, with a reason."""

    model = Accused
    exclude = Accused.PII_FIELDS
    extra = 0
    can_delete = False


class CaseChargeInline(admin.TabularInline):
    model = CaseCharge
    extra = 0
    raw_id_fields = ["offence_tier"]


class AssignmentInline(admin.TabularInline):
    model = Assignment
    fk_name = "case"
    extra = 0
    raw_id_fields = ["lawyer", "assigned_by", "ended_by"]


@admin.register(Case)
class CaseAdmin(admin.ModelAdmin):
    list_display = ["external_ref", "procuratorate", "status", "tier", "stage", "created_at"]
    list_filter = ["status", "tier", "stage", "procedure", "office"]
    search_fields = ["external_ref"]
    list_select_related = ["procuratorate"]
    raw_id_fields = ["detention_centre"]
    inlines = [AccusedInline, CaseChargeInline, AssignmentInline]


@admin.register(PiiAccess)
class PiiAccessAdmin(admin.ModelAdmin):
    """Read-only: the log is append-only in the database too."""

    list_display = ["accessed_at", "user", "case", "reason", "channel"]
    list_select_related = ["user", "case"]
    date_hierarchy = "accessed_at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ApiClient)
class ApiClientAdmin(admin.ModelAdmin):
    list_display = ["name", "procuratorate", "token_prefix", "last_used_at", "revoked_at"]
    list_filter = ["procuratorate"]
    readonly_fields = ["token_prefix", "last_used_at", "revoked_at", "user"]
    fields = [
        "name",
        "procuratorate",
        "user",
        "token_prefix",
        "callback_url",
        "last_used_at",
        "revoked_at",
    ]
    actions = ["rotate_token", "revoke"]

    def has_add_permission(self, request):
        # Clients are created with `manage.py create_api_client`, which shows the token once.
        return False

    @admin.action(description=_("Rotate token (shows the new token once)"))
    def rotate_token(self, request, queryset):
        for client in queryset:
            token = api_client_rotate(client=client)
            self.message_user(
                request,
                _("New token for %(name)s: %(token)s") % {"name": client.name, "token": token},
                messages.WARNING,
            )

    @admin.action(description=_("Revoke token"))
    def revoke(self, request, queryset):
        for client in queryset:
            api_client_revoke(client=client)
        self.message_user(request, _("Revoked."), messages.SUCCESS)
