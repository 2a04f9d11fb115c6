from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApiConfig(AppConfig):
    name = "kaoping.api"
    label = "api"
    verbose_name = _("接口")

    def ready(self) -> None:
        # The OpenAPI description of the token scheme registers itself on import.
        from . import schema  # noqa: F401
