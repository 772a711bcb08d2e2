#!/usr/bin/env python3
"""The screenshot of docs/editors.md: Neovim (Debian's, in tmux) editing a promise of the sample with
`promisesite lsp` attached, its diagnostics on screen, turned into a PNG by headless Chromium.

    python tools/editor_screenshot.py [--out docs/screenshots/neovim-diagnostics.png]

Needs nvim, tmux and /usr/bin/chromium. It copies the sample to a temporary folder, writes a vague
promise there, opens it in Neovim with the language server, waits until the diagnostics are on
screen (reading the screen, never sleeping a fixed time), and renders tmux's coloured capture.
"""

from __future__ import annotations

import argparse
import html
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PROMISE = """\
---
title: Make the analytics dashboard mobile-friendly soon
promiser: ana.lima
customer: payments
status: promised
promised: 2026-10-03
due: Q1
done_when:
  - dashboard works well on mobile
  - sales reps are satisfied
---

The sales team reads the dashboard on the road.
"""
INIT = """\
vim.opt.termguicolors = true
vim.opt.number = true
vim.diagnostic.config({ virtual_text = { prefix = "●" }, severity_sort = true })
vim.api.nvim_create_autocmd("BufReadPost", { pattern = "*.md", callback = function(args)
  local id = vim.lsp.start_client({ name = "promisesite", cmd = { "%s", "-m", "promisesite", "lsp" },
                                    root_dir = vim.fn.getcwd() })
  vim.lsp.buf_attach_client(args.buf, id)
end })
"""
PALETTE = ["#1e1e2e", "#f38ba8", "#a6e3a1", "#f9e2af", "#89b4fa", "#cba6f7", "#94e2d5", "#cdd6f4"]
SGR = re.compile(r"\x1b\[([0-9;]*)m")


def ansi_to_html(text: str) -> str:
    """tmux's capture with colours (-e) as HTML spans: 24-bit and the 16 basic colours."""
    out, fg, bg, bold = [], "", "", False
    position = 0
    for match in SGR.finditer(text):
        out.append(_span(text[position : match.start()], fg, bg, bold))
        codes = [int(c) if c else 0 for c in match.group(1).split(";")]
        i = 0
        while i < len(codes):
            code = codes[i]
            if code == 0:
                fg, bg, bold = "", "", False
            elif code == 1:
                bold = True
            elif code in (38, 48) and i + 4 < len(codes) + 1 and codes[i + 1] == 2:
                red, green, blue = codes[i + 2 : i + 5]
                colour = f"#{red:02x}{green:02x}{blue:02x}"
                fg, bg = (colour, bg) if code == 38 else (fg, colour)
                i += 4
            elif 30 <= code <= 37:
                fg = PALETTE[code - 30]
            elif 40 <= code <= 47:
                bg = PALETTE[code - 40]
            elif 90 <= code <= 97:
                fg = PALETTE[code - 90]
            elif code == 39:
                fg = ""
            elif code == 49:
                bg = ""
            i += 1
        position = match.end()
    out.append(_span(text[position:], fg, bg, bold))
    return "".join(out)


def _span(text: str, fg: str, bg: str, bold: bool) -> str:
    if not text:
        return ""
    style = ";".join(
        part for part in (fg and f"color:{fg}", bg and f"background:{bg}", bold and "font-weight:bold") if part
    )
    return f'<span style="{style}">{html.escape(text)}</span>' if style else html.escape(text)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", type=Path, default=ROOT / "docs/screenshots/neovim-diagnostics.png")
    args = parser.parse_args()
    for tool in ("nvim", "tmux"):
        if shutil.which(tool) is None:
            raise SystemExit(f"{tool} is needed: apt-get install {'neovim' if tool == 'nvim' else tool}")
    work = Path(tempfile.mkdtemp(prefix="promisesite-nvim-"))
    shutil.copytree(ROOT / "promises", work / "promises")
    shutil.copy(ROOT / "promisesite.yaml", work / "promisesite.yaml")
    (work / ".git").mkdir()
    (work / "promises/platform/analytics-mobile.md").write_text(PROMISE)
    (work / "init.lua").write_text(INIT % sys.executable)
    env = {**os.environ, "SOURCE_DATE_EPOCH": "1795219200", "TERM": "xterm-256color", "COLORTERM": "truecolor"}
    session = "promisesite-shot"
    subprocess.run(["tmux", "kill-session", "-t", session], capture_output=True)
    subprocess.run(
        ["tmux", "new-session", "-d", "-s", session, "-x", "118", "-y", "18", "-c", str(work)]
        + ["nvim -u init.lua promises/platform/analytics-mobile.md"],
        check=True,
        env=env,
    )
    try:
        deadline = time.monotonic() + 60
        screen = ""
        while time.monotonic() < deadline:
            screen = subprocess.run(
                ["tmux", "capture-pane", "-p", "-e", "-t", session], capture_output=True, text=True
            ).stdout
            if "is not a date" in screen and "judgement" in screen:  # the diagnostics, as virtual text
                break
            time.sleep(0.2)
        else:
            raise SystemExit("the diagnostics never appeared:\n" + screen)
    finally:
        subprocess.run(["tmux", "kill-session", "-t", session], capture_output=True)
    page = work / "screen.html"
    page.write_text(
        '<!doctype html><meta charset=utf-8><body style="margin:0;background:#1e1e2e"><pre style="'
        "margin:0;padding:12px;font:14px/1.35 'DejaVu Sans Mono',monospace;color:#cdd6f4;background:#1e1e2e\">"
        + ansi_to_html(screen)
        + "</pre>"
    )
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=["--no-sandbox"])
        view = browser.new_page(viewport={"width": 1100, "height": 340})
        view.goto(page.as_uri())
        view.screenshot(path=str(args.out), full_page=True)
        browser.close()
    shutil.rmtree(work, ignore_errors=True)
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
