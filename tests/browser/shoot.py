"""Take phone-sized screenshots of pages: ``python tests/browser/shoot.py URL OUT.png [--full] [--care]``.

A developer tool for looking at pages; the browser test suite has its own fixtures.
"""

import argparse

from playwright.sync_api import sync_playwright

ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("url")
    parser.add_argument("out")
    parser.add_argument("--full", action="store_true")
    parser.add_argument("--care", action="store_true")
    parser.add_argument("--width", type=int, default=390)
    parser.add_argument("--height", type=int, default=844)
    opts = parser.parse_args()
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
        context = browser.new_context(
            viewport={"width": opts.width, "height": opts.height},
            is_mobile=True,
            has_touch=True,
            device_scale_factor=1,
        )
        if opts.care:
            host = opts.url.split("/")[2].split(":")[0]
            context.add_cookies([{"name": "care", "value": "1", "domain": host, "path": "/"}])
        page = context.new_page()
        page.goto(opts.url)
        page.screenshot(path=opts.out, full_page=opts.full)
        browser.close()


if __name__ == "__main__":
    main()
