"""Changing promise files in place: the editor, the safe fixes and the lifecycle commands."""
