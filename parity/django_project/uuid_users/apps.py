from django.apps import AppConfig


class UuidUsersConfig(AppConfig):
    name = "uuid_users"
