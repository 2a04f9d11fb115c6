from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "kaoping.web"
    label = "web"
    verbose_name = "考评 Kaoping"
