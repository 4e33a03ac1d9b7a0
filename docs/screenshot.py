"""Regenerate docs/screenshot.svg: the main screen on the bundled Chinese demo transcript.

    .venv/bin/python docs/screenshot.py
"""

from __future__ import annotations

import asyncio
import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tui.app import YuluApp  # noqa: E402
from tui.launch import demo_path, first_parse  # noqa: E402


async def main() -> None:
    # a fresh store: no remembered reading position or notes from the machine it runs on
    os.environ["YULU_DB"] = os.path.join(tempfile.mkdtemp(), "yulu.json")
    path = demo_path("zh")
    app = YuluApp(first_parse(path), path)
    async with app.run_test(size=(120, 34)) as pilot:
        await pilot.press("j", "j")
        screen = app.reader_screen
        for _ in range(400):  # keyword highlights come from a background process
            if screen.keyword_result is not None and screen.keyword_result.complete:
                break
            await pilot.pause(0.05)
        await pilot.pause(0.5)
        app.save_screenshot(str(ROOT / "docs" / "screenshot.svg"))


if __name__ == "__main__":
    asyncio.run(main())
