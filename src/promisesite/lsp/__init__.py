"""The language server: promise files checked, explained and fixed while they are edited."""
