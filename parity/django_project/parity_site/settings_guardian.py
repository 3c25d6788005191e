"""Settings of the interop suite's guardian pass: everything of `settings`, plus django-guardian's
object permissions (its app and `ObjectPermissionBackend` after `ModelBackend`), with no
anonymous-user row (`ANONYMOUS_USER_NAME = None`).

The Rust server gets PERMISSION_BACKENDS=guardian (`ObjectPermissionBackend`).
"""
from .settings import *  # noqa: F401,F403
from .settings import INSTALLED_APPS as _BASE_APPS

INSTALLED_APPS = [*_BASE_APPS, "guardian"]
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "guardian.backends.ObjectPermissionBackend",
]
ANONYMOUS_USER_NAME = None
