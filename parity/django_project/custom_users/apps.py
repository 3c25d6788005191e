from django.apps import AppConfig


class CustomUsersConfig(AppConfig):
    name = "custom_users"
    default_auto_field = "django.db.models.AutoField"
