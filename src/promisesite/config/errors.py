"""The error every configuration problem raises."""

from __future__ import annotations

from ..errors import UserError


class ConfigError(UserError):
    """A configuration problem: exit code 2, with a message that says what to write instead."""
