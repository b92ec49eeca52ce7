"""Screenshots of the main pages for each role, desktop and 375 px phone.

Usage: .venv/bin/python scripts/screenshots.py [base_url]   (with `make run` going)
Writes test-artifacts/screens/<role>-<page>-<desktop|phone>.png.
"""

from __future__ import annotations

import sys
from pathlib import Path

from playwright.sync_api import sync_playwright

BASE = sys.argv[1] if len(sys.argv) > 1 else "http://127.0.0.1:8000"
OUT = Path(__file__).resolve().parent.parent / "test-artifacts" / "screens"
PASSWORD = "dutylaw-demo"  # noqa: S105 - the published demo password
VIEWPORTS = {"desktop": {"width": 1280, "height": 900}, "phone": {"width": 375, "height": 812}}
TOURS = {
    "staff": ["/", "/triage/", "/triage/policy/", "/cases/", "first-case"],
    "lawyer": ["/", "/cases/", "first-case"],
    "reviewer": ["/", "/audit/", "/audit/identity-views/"],
    "anon": ["/login/"],
}


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path="/usr/bin/chromium",
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        for role, pages in TOURS.items():
            for vp_name, viewport in VIEWPORTS.items():
                context = browser.new_context(viewport=viewport, locale="zh-CN", base_url=BASE)
                page = context.new_page()
                if role != "anon":
                    page.goto("/login/")
                    page.fill("input[name=username]", role)
                    page.fill("input[name=password]", PASSWORD)
                    with page.expect_navigation():
                        page.click("#login-form button[type=submit]")
                for path in pages:
                    if path == "first-case":
                        page.goto("/triage/" if role == "staff" else "/cases/")
                        path = page.locator("main a[href^='/cases/']").first.get_attribute("href")
                    page.goto(path)
                    name = path.strip("/").replace("/", "_")[:20] or "home"
                    page.screenshot(path=str(OUT / f"{role}-{name}-{vp_name}.png"), full_page=True)
                context.close()
        browser.close()


if __name__ == "__main__":
    main()
