"""The `yulu` command: `yulu [FILE...]` opens the reader; `yulu COMMAND ...` runs a subcommand.

Subcommands live in tui/commands/<name>.py, each with `configure(parser)` and `run(args) -> int`,
imported only when used so that `yulu FILE` starts fast.
"""

from __future__ import annotations

import importlib
import sys

from tui.errors import UserError

# name -> (module, one-line help). Order is the order shown in --help.
COMMANDS: dict[str, tuple[str, str]] = {
    "parse": ("tui.commands.parse", "print how a transcript parses (segments, speakers)"),
    "speakers": ("tui.commands.speakers", "print the speaker table (turns, words, first time)"),
    "keywords": ("tui.commands.keywords", "print a transcript's keywords (TF-IDF)"),
    "notes": ("tui.commands.notes", "list bookmarks and notes (of FILE, or of every transcript)"),
    "export": ("tui.commands.export", "export notes and bookmarks as a Markdown study sheet or JSON"),
}

EXIT_OK = 0
EXIT_ERROR = 1  # an unexpected failure (a bug)
EXIT_USAGE = 2  # bad input: a missing, unreadable or non-text file, a bad option


def _fail(message: str) -> int:
    print(f"yulu: {one_line(message)}", file=sys.stderr)
    return EXIT_USAGE


def one_line(message: str) -> str:
    """`message` as one terminal-safe line: control characters (a newline or an escape sequence
    in a file name) are written as visible `\\x1b`-style escapes, never sent to the terminal."""
    import re

    return re.sub(
        r"[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]",
        lambda m: m.group().encode("unicode_escape").decode("ascii"),
        message,
    )


def version() -> str:
    from importlib.metadata import PackageNotFoundError
    from importlib.metadata import version as dist_version

    try:
        return dist_version("yulu")
    except PackageNotFoundError:
        return "unknown (not installed)"


def reader_epilog() -> str:
    """The end of `yulu --help`: subcommands, examples, files and exit codes."""
    commands = "\n".join(f"  {name:<10} {help_text}" for name, (_, help_text) in COMMANDS.items())
    return f"""commands (yulu COMMAND --help for each):
{commands}

examples:
  yulu                          open the bundled Chinese demo transcript
  yulu --demo en                open the English demo interview
  yulu hearing.txt              read a transcript (txt, md, srt, vtt; any common encoding)
  yulu a.txt b.vtt              open several; O switches between them and recent ones
  yulu ~/transcripts/           open every transcript in a folder
  yulu parse hearing.txt --json print the parse as JSON
  yulu --config-path            where the config file is read from

in the reader: F1 or ? lists every key; ctrl+p finds any action by name.

exit status:
  {EXIT_OK}  success
  {EXIT_ERROR}  unexpected failure (a bug: please report it)
  {EXIT_USAGE}  bad input: missing, unreadable or non-text file, bad option, no terminal
  130  interrupted (ctrl+c)
"""


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    # Answered before anything heavy is imported: these must work even where the reader cannot.
    options = [] if argv and argv[0] in COMMANDS else argv[: argv.index("--")] if "--" in argv else argv
    if "--version" in options or "-V" in options:
        print(f"yulu {version()}")
        return EXIT_OK
    if "--config-path" in options:
        from tui.config import config_path

        print(one_line(str(config_path())))  # a path may carry escapes: show them, inert
        return EXIT_OK
    if argv and argv[0] in COMMANDS:
        return _run_command(argv[0], argv[1:])
    return _run_reader(argv)


def _run_command(name: str, argv: list[str]) -> int:
    import argparse  # here: `yulu FILE` mostly needs no parser (tui/launch.py)

    module_name, help_text = COMMANDS[name]
    module = importlib.import_module(module_name)
    ap = argparse.ArgumentParser(prog=f"yulu {name}", description=help_text)
    module.configure(ap)
    args = ap.parse_args(argv)
    return _guarded(lambda: module.run(args))


def _guarded(fn) -> int:
    """Turn errors a user can fix into one stderr line and exit status 2."""
    from parser.errors import TranscriptError

    try:
        status = int(fn() or 0)
        sys.stdout.flush()  # a write error surfaces here, not as noise at interpreter exit
        return status
    except (TranscriptError, UserError) as e:
        return _fail(str(e))
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        _drop_stdout()
        return EXIT_OK
    except OSError as e:  # e.g. `yulu parse F --json > /dev/full`: the output could not be written
        _drop_stdout()
        where = f"{e.filename}: " if e.filename else "cannot write the output: "
        return _fail(f"{where}{e.strerror or e}")


def _drop_stdout() -> None:
    """Point stdout at /dev/null so that the flush at exit does not fail a second time."""
    import os

    try:
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    except (OSError, ValueError):
        pass


def _run_reader(argv: list[str]) -> int:
    import gc

    # Start-up makes hundreds of thousands of objects that live as long as the app (Textual's
    # modules and ours); collecting cycles among them while they are made is wasted time (~10 ms
    # before the first screen). launch() freezes them and turns collection back on.
    gc.disable()
    try:
        from tui.launch import launch

        return _guarded(lambda: launch(argv))
    finally:
        gc.enable()


if __name__ == "__main__":
    sys.exit(main())
