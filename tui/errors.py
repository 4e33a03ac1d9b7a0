"""Errors whose message is for the user: the CLI prints the one line and exits with status 2."""


class UserError(Exception):
    """Something the user can fix (no terminal, a bad option): str() is one clear line."""
