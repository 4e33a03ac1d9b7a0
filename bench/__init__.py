"""yulu's benchmark suite: `python -m bench` (or `make bench`). Not part of the tests.

generate   deterministic Chinese and English transcripts of any size, cached on disk
bare_app   the floor: a bare Textual app with a header and a footer
terminal   time to first screen, key-to-screen latency and peak RSS, measured in tmux
throughput parse throughput next to str.splitlines() on the same file
startup    what runs before the first paint (imports, profile)
"""
