"""Moves the expiry of a user's knox tokens and Django sessions to later *today* (UTC).

The new expiry is halfway between now and the next UTC midnight: still in the future, and on the
same calendar date as "now". Used by the parity check to see whether the other server compares
Django-written datetimes correctly (SQLite stores them as text).
"""
from datetime import datetime, time, timedelta, timezone as dt_timezone

from django.contrib.auth import get_user_model
from django.contrib.sessions.models import Session
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from knox.models import AuthToken


class Command(BaseCommand):
    help = "Set the expiry of a user's knox tokens and sessions to later today (UTC)"

    def add_arguments(self, parser):
        parser.add_argument("--user", action="append", required=True)

    def handle(self, *args, **options):
        now = timezone.now()
        midnight = datetime.combine(now.date() + timedelta(days=1), time(0), tzinfo=dt_timezone.utc)
        if (midnight - now).total_seconds() < 10:
            raise CommandError("less than 10 s to midnight UTC: run again in a minute")
        later_today = now + (midnight - now) / 2
        User = get_user_model()
        tokens = sessions = 0
        for username in options["user"]:
            user = User.objects.get(username=username)
            tokens += AuthToken.objects.filter(user=user).update(expiry=later_today)
            for session in Session.objects.all():
                if session.get_decoded().get("_auth_user_id") == str(user.pk):
                    session.expire_date = later_today
                    session.save(update_fields=["expire_date"])
                    sessions += 1
        self.stdout.write(f"expiry {later_today.isoformat()}: {tokens} knox tokens, {sessions} sessions")
