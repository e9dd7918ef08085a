#!/usr/bin/env python
"""Django's command-line entry point for servicehall."""
import os
import sys

if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "servicehall.settings")
    if sys.argv[1:2] in (["run_demo"], ["seed_demo"]):
        # the demo commands say they are the demo: without DJANGO_SECRET_KEY they use the demo's local key
        os.environ.setdefault("SERVICEHALL_DEMO", "1")
    elif sys.argv[1:2] in (["makemigrations"], ["makemessages"], ["compilemessages"]) and "DJANGO_SECRET_KEY" not in os.environ:
        # developer commands that only read models and files sign nothing and serve no one: no key needed
        os.environ.setdefault("SERVICEHALL_DEMO", "1")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)
