from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from lawyers.models import (
    Court,
    DetentionCentre,
    Lawyer,
    LegalAidOffice,
    Procuratorate,
    Shift,
    User,
    Workstation,
)


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = ["username", "full_name", "role", "office", "is_active"]
    list_filter = ["role", "office", "is_active"]
    search_fields = ["username", "full_name", "email"]
    fieldsets = (
        *BaseUserAdmin.fieldsets,
        (_("DutyLaw"), {"fields": ("role", "full_name", "office")}),
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
