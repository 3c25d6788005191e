#!/usr/bin/env python
"""Django's command-line utility for the parity reference project."""
import os
import sys

if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "parity_site.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)
