from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from lawyers.models import (
    Court,
    DetentionCentre,
    Lawyer,
    Leave,
    LegalAidOffice,
    Procuratorate,
    Roster,
    Shift,
    ShiftSwap,
    SubsidyRates,
    User,
    Workstation,
    WorkstationClosure,
)


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = ["username", "full_name", "role", "office", "is_active"]
    list_filter = ["role", "office", "is_active"]
    search_fields = ["username", "full_name", "email"]
    fieldsets = (
        *BaseUserAdmin.fieldsets,
        (_("DutyLaw"), {"fields": ("role", "full_name", "office", "language")}),
    )
    add_fieldsets = (
        *BaseUserAdmin.add_fieldsets,
        (_("DutyLaw"), {"fields": ("role", "full_name", "office")}),
    )


@admin.register(LegalAidOffice)
class LegalAidOfficeAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "region", "phone"]
    search_fields = ["code", "name"]


@admin.register(Procuratorate)
class ProcuratorateAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "office", "region"]
    list_filter = ["office"]
    search_fields = ["code", "name"]


@admin.register(Court, DetentionCentre)
class SiteAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "region"]
    search_fields = ["code", "name"]


@admin.register(Workstation)
class WorkstationAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "office", "kind", "active"]
    list_filter = ["office", "kind", "active"]
    search_fields = ["code", "name"]


@admin.register(Lawyer)
class LawyerAdmin(admin.ModelAdmin):
    list_display = [
        "__str__",
        "kind",
        "licence_no",
        "firm",
        "office",
        "takes_complex_cases",
        "active",
    ]
    list_filter = ["office", "kind", "takes_complex_cases", "active", "sign_language"]
    search_fields = ["user__full_name", "licence_no", "firm"]
    list_select_related = ["user", "office"]
    raw_id_fields = ["user", "mentor"]


@admin.register(Shift)
class ShiftAdmin(admin.ModelAdmin):
    list_display = ["date", "slot", "workstation", "lawyer"]
    list_filter = ["workstation", "slot"]
    date_hierarchy = "date"
    list_select_related = ["workstation", "lawyer__user"]
    raw_id_fields = ["lawyer"]


@admin.register(Roster)
class RosterAdmin(admin.ModelAdmin):
    list_display = ["office", "month", "status", "generated_at", "published_at"]
    list_filter = ["office", "status"]
    readonly_fields = [
        "version",
        "stats",
        "uncovered",
        "generated_at",
        "published_at",
        "published_by",
    ]


@admin.register(Leave, WorkstationClosure)
class RangeAdmin(admin.ModelAdmin):
    list_display = ["__str__", "date_from", "date_to", "reason"]


@admin.register(ShiftSwap)
class ShiftSwapAdmin(admin.ModelAdmin):
    list_display = ["shift", "offered_by", "taken_by", "status", "decided_by"]
    list_filter = ["status"]
    raw_id_fields = ["shift", "offered_by", "taken_by"]


@admin.register(SubsidyRates)
class SubsidyRatesAdmin(admin.ModelAdmin):
    list_display = [
        "office",
        "effective_from",
        "shift_day",
        "case_simple",
        "case_complex",
        "trial_defence",
    ]
