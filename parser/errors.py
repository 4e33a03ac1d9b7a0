"""Errors the parser raises for input a user gave it."""


class TranscriptError(Exception):
    """The file cannot be read as a transcript. str() is one line naming the file and the problem."""
