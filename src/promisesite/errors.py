"""The one kind of error a user can fix: every command prints its message and exits 2."""

from __future__ import annotations


class UserError(Exception):
    """A problem in the input, the options or the machine that the user can fix. The message says
    what happened and what to do instead; the command line prints it and exits with code 2."""
