"""Settings of the interop suite's UUID-user pass: everything of `settings`, plus the app
`uuid_users` whose `Person` (table `uuid_users_person`, primary key `UUIDField`) is the user model.

    DJANGO_SETTINGS_MODULE=parity_site.settings_uuid_user python manage.py migrate

The Rust side reads the same table through AUTH_USER_MODEL=uuid_users.Person
AUTH_USER_PK_FIELD=UUIDField.
"""
from .settings import *  # noqa: F401,F403
from .settings import INSTALLED_APPS as _BASE_APPS

INSTALLED_APPS = [*_BASE_APPS, "uuid_users"]
AUTH_USER_MODEL = "uuid_users.Person"
