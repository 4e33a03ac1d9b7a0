"""Where yulu's stylesheets are (tui/styles/), and which of them the app reads as it starts.

Each feature ships its own stylesheet; app.tcss comes first so that features can refine it. A
dialog's stylesheet (modal_<feature>.tcss) is its screens' CSS_PATH instead, read when the first
of them opens: the first screen does not wait to parse it (~2 ms).
"""

from __future__ import annotations

from pathlib import Path

STYLES = Path(__file__).parent / "styles"


def app_stylesheets() -> list[Path]:
    return [STYLES / "app.tcss", *sorted(
        p for p in STYLES.glob("*.tcss") if p.name != "app.tcss" and not p.name.startswith("modal_")
    )]


def dialog_stylesheet(feature: str) -> Path:
    return STYLES / f"modal_{feature}.tcss"
