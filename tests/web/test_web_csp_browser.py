"""The full Content-Security-Policy (issue 24 item 5) in a real browser: the chat loads and answers under it with
no CSP violation reported, and the header names default-src, img-src, connect-src and frame-ancestors. (No
`server` header: tests/web/test_web_limits.py checks the served configuration; the live test server is uvicorn's
default.)"""

from __future__ import annotations

from typing import Any

TIMEOUT_MS = 120_000


def test_the_chat_answers_under_the_csp_with_no_violation(browser: Any, live_app: Any) -> None:
    from playwright.sync_api import expect

    context = browser.new_context(viewport={"width": 1280, "height": 1000})
    page = context.new_page()
    violations: list[str] = []
    page.on("console", lambda message: violations.append(message.text)
            if "Content Security Policy" in message.text or "Refused to" in message.text else None)
    try:
        response = page.goto(live_app.url, wait_until="load")
        assert response is not None
        policy = response.headers["content-security-policy"]
        for directive in ("default-src 'self'", "img-src", "connect-src 'self'", "frame-ancestors"):
            assert directive in policy
        page.get_by_placeholder("Type a message...").wait_for(timeout=TIMEOUT_MS)
        box = page.locator('textarea[data-testid="textbox"]')
        box.fill("how do I code 2.5 hours subq")
        box.press("Enter")
        expect(page.locator('[data-testid="bot"]').last).to_contain_text("96369", timeout=TIMEOUT_MS)
        assert violations == []
    finally:
        context.close()
