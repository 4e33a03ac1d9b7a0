"""A hostile-input corpus, generated at test time by `generate.py` (never committed)."""
