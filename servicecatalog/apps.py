from django.apps import AppConfig


class ServiceCatalogConfig(AppConfig):
    name = "servicecatalog"
    verbose_name = "办事指南与红色驿站"
