"""Settings of the interop suite's custom-user pass: everything of `settings`, plus the app
`custom_users` whose `Member` (table `accounts_member`, USERNAME_FIELD `email`) is the user model.

    DJANGO_SETTINGS_MODULE=parity_site.settings_custom_user python manage.py migrate

The Rust side reads the same table through AUTH_USER_TABLE=accounts_member AUTH_USERNAME_FIELD=email.
"""
from .settings import *  # noqa: F401,F403
from .settings import INSTALLED_APPS as _BASE_APPS

INSTALLED_APPS = [*_BASE_APPS, "custom_users"]
AUTH_USER_MODEL = "custom_users.Member"
