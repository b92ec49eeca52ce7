from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CasesConfig(AppConfig):
    name = "cases"
    verbose_name = _("Cases")

    def ready(self) -> None:
        # Connect the cache invalidation in every process (web, worker, admin).
        from cases import catalogue  # noqa: F401
        from cases.api import auth  # noqa: F401
