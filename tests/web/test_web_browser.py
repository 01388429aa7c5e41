"""The chat in a real browser (headless Debian chromium) on the real app with the real Assistant.

One app and one browser for the session; a fresh tab per test. Set ASSISTANT_WEB_SCREENSHOT=docs/chat.png to save
the screenshot of the answered chat that the docs show.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from assistant.web.ui import DISCLAIMER, EXAMPLE_QUESTIONS

BOT = '[data-testid="bot"]'
PLACEHOLDER = "Type a message..."
INPUT = 'textarea[data-testid="textbox"]'
SUBQ = "how do I code 2.5 hours subq"
# A bound, not an expectation: a busy machine (or the first search loading the model) may take long.
TIMEOUT_MS = 120_000
LOCAL_PREFIXES = ("http://127.0.0.1", "data:", "blob:", "about:")


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    """A fresh tab; `page.off_loopback` collects every request that left the machine (there must be none)."""
    context = browser.new_context(viewport={"width": 1280, "height": 1000})
    tab = context.new_page()
    tab.off_loopback = []
    tab.on("request", lambda request: None if request.url.startswith(LOCAL_PREFIXES)
           else tab.off_loopback.append(request.url))
    yield tab
    context.close()


def open_chat(scope: Any) -> None:
    """Wait until the chat's input box is there (the page or a frame inside it)."""
    scope.get_by_placeholder(PLACEHOLDER).wait_for(timeout=TIMEOUT_MS)


def ask_in_chat(scope: Any, question: str, expect_text: str) -> Any:
    """Type the question, press Enter, and return the new bot message once it shows `expect_text`."""
    from playwright.sync_api import expect

    bots = scope.locator(BOT)
    before = bots.count()
    box = scope.locator(INPUT)  # not by placeholder: Gradio clears it after the first question
    box.fill(question)
    box.press("Enter")
    expect(bots).to_have_count(before + 1, timeout=TIMEOUT_MS)
    answer = bots.last
    expect(answer).to_contain_text(expect_text, timeout=TIMEOUT_MS)
    return answer


def units_shown(answer: Any) -> dict[str, int]:
    """The codes and units of the rendered answer table (first cell a code, second its units)."""
    shown: dict[str, int] = {}
    for row in answer.locator("table tbody tr").all():
        cells = [cell.strip() for cell in row.locator("td").all_inner_texts()]
        if len(cells) >= 2 and cells[1].isdigit():
            shown[cells[0]] = int(cells[1])
    return shown


def api_units(assistant: Any, question: str, payer: str | None = None) -> dict[str, int]:
    return {line.code: line.units for line in assistant.ask(question, payer=payer).codes}


def test_chat_shows_units_as_a_table(page: Any, live_app: Any, assistant: Any) -> None:
    page.goto(live_app.url, wait_until="load")
    open_chat(page)
    # The empty chat offers the example questions and the page carries the disclaimer.
    for question in EXAMPLE_QUESTIONS:
        assert page.get_by_text(question, exact=True).first.is_visible()
    assert page.get_by_text(DISCLAIMER).is_visible()

    answer = ask_in_chat(page, SUBQ, "96370")
    # 150 minutes: 96369 for the first hour and one 96370 (a second needs more than 30 minutes past 120).
    assert units_shown(answer) == {"96369": 1, "96370": 1}
    assert units_shown(answer) == api_units(assistant, SUBQ), "the chat renders the same answer as the API"
    assert "Rule applied" not in answer.inner_text(), "the rule, sources and warnings are collapsed under the codes"
    answer.locator("details.ca-details summary").click()
    assert "Rule applied" in answer.inner_text()
    assert page.off_loopback == [], "the chat page must not call anything off this machine"

    screenshot = os.environ.get("ASSISTANT_WEB_SCREENSHOT")
    if screenshot:
        page.locator(".user").last.evaluate("e => e.scrollIntoView({block: 'start'})")
        page.wait_for_timeout(400)
        page.screenshot(path=str(Path(screenshot)))


@pytest.mark.parametrize(
    ("rules", "expected_99292"),
    [
        # rules.md 4: 110 minutes is 99291 + 99292 x1 under Medicare (99292 from 104) and x2 under CPT (from 75, 105).
        pytest.param("Medicare", 1, id="medicare-selector"),
        pytest.param("CPT", 2, id="cpt-selector"),
    ],
)
def test_rules_selector_reaches_the_assistant(
    page: Any, live_app: Any, assistant: Any, rules: str, expected_99292: int
) -> None:
    page.goto(live_app.url, wait_until="load")
    open_chat(page)
    page.get_by_label(rules, exact=True).check()
    answer = ask_in_chat(page, "critical care 110 minutes", "99292")
    assert units_shown(answer) == {"99291": 1, "99292": expected_99292}
    assert f"{rules} rules" in answer.inner_text()
    assert units_shown(answer) == api_units(assistant, "critical care 110 minutes", payer=rules.lower())


def test_clicking_an_example_asks_it(page: Any, live_app: Any) -> None:
    page.goto(live_app.url, wait_until="load")
    open_chat(page)
    page.get_by_text("what is 96369", exact=True).first.click()
    answer = page.locator(BOT).last
    from playwright.sync_api import expect

    expect(answer).to_contain_text("96370", timeout=TIMEOUT_MS)  # the look-up names its add-on code
    assert "96369" in answer.inner_text()


def test_follow_up_uses_the_earlier_turn(page: Any, live_app: Any) -> None:
    page.goto(live_app.url, wait_until="load")
    open_chat(page)
    ask_in_chat(page, SUBQ, "96370")
    # The chat sends its history: "3 hours" is read as the same subq infusion, 180 minutes, which passes 151
    # minutes and so carries a second 96370.
    answer = ask_in_chat(page, "what about 3 hours?", "96370")
    assert units_shown(answer) == {"96369": 1, "96370": 2}


def test_chat_works_inside_a_portal_iframe(page: Any, live_app: Any, portal_url: str, assistant: Any) -> None:
    page.goto(portal_url, wait_until="load")
    assert page.title() == "Portal"
    frame = page.frame_locator("iframe#coding-assistant")
    open_chat(frame)
    answer = ask_in_chat(frame, SUBQ, "96370")
    assert units_shown(answer) == {"96369": 1, "96370": 1}
    assert units_shown(answer) == api_units(assistant, SUBQ)
    assert page.off_loopback == []


def test_web_component_works_on_the_same_origin(page: Any, live_app: Any) -> None:
    """The `<gradio-app>` snippet of docs/web.md, on a portal page served from the app's own origin (what a
    same-origin reverse proxy gives); the page is fulfilled by the browser, the scripts come from the app."""
    portal = live_app.url + "portal-page.html"
    html = (f'<!doctype html><html><head><title>Portal</title><script type="module" src="{live_app.url}gradio.js">'
            f'</script></head><body><h3>Portal</h3><gradio-app src="{live_app.url}"></gradio-app></body></html>')
    page.route(portal, lambda route: route.fulfill(body=html, content_type="text/html"))
    page.goto(portal, wait_until="load")
    open_chat(page)
    answer = ask_in_chat(page, SUBQ, "96370")
    assert units_shown(answer) == {"96369": 1, "96370": 1}
    assert page.off_loopback == []
