"""Every worker names its own description.

Without one, Textual builds it from the repr() of the worker's arguments, on the UI thread, when
the worker starts. A transcript passed to a worker made that repr: seconds of frozen screen for a
100 MB file each time the full parse arrived (keywords and notes restart their workers then).
"""

from __future__ import annotations

import ast
from pathlib import Path

TUI = Path(__file__).resolve().parent.parent / "tui"


def _work_decorators() -> list[tuple[str, int, ast.Call]]:
    found = []
    for path in sorted(TUI.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                for deco in node.decorator_list:
                    if isinstance(deco, ast.Call) and getattr(deco.func, "id", None) == "work":
                        found.append((f"{path.relative_to(TUI.parent)}:{node.name}", deco.lineno,
                                      deco))
    return found


def test_the_reader_has_workers_to_check() -> None:
    assert len(_work_decorators()) >= 8


def test_every_work_decorator_gives_a_description() -> None:
    missing = [where for where, _line, deco in _work_decorators()
               if not any(k.arg == "description" for k in deco.keywords)]
    assert not missing, f"@work without description= (its arguments get repr()ed): {missing}"
