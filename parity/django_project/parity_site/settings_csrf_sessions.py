"""Settings of the interop suite's CSRF_USE_SESSIONS pass: everything of `settings`, with the CSRF
secret kept in the session (`_csrftoken`) instead of the csrftoken cookie.

The Rust side gets the same through CSRF_USE_SESSIONS=true (tests/src/bin/drf_parity.rs).
"""
from .settings import *  # noqa: F401,F403

CSRF_USE_SESSIONS = True
