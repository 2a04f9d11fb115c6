from django.apps import AppConfig
from django.utils.module_loading import autodiscover_modules


class WebConfig(AppConfig):
    name = "kaoping.web"
    label = "web"
    verbose_name = "考评 Kaoping"

    def ready(self) -> None:
        # Every installed app may declare menu entries in its `navigation` module (kaoping.web.nav).
        autodiscover_modules("navigation")
        from . import (
            navigation_closing,  # noqa: F401  (the period close pages)
            navigation_supervisor,  # noqa: F401  (the supervisor's pages)
        )
