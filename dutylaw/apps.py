from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DutylawConfig(AppConfig):
    name = "dutylaw"
    verbose_name = _("DutyLaw")
