"""`python -m drafter` runs the command line."""

from .cli import cli

cli()
