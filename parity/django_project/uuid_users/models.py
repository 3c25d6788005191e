import uuid

from django.contrib.auth.models import AbstractUser
from django.db import models


class Person(AbstractUser):
    """Django's user with a UUID primary key, as Django's documentation suggests for custom user
    models: `id` is `char(32)` on SQLite (the hex digits), `uuid` on PostgreSQL. The table is
    Django's default, `uuid_users_person`."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
