"""The chat page in headless chromium, issue 13 items 3, 4, 7 and 8: phone width (375 px), the user's words shown as
text, the reading trail collapsed under an answer, the long-input counter, and framing refused by default.

The phone test runs on the real Assistant (the session `live_app`); set ASSISTANT_WEB_PHONE_SCREENSHOT=
docs/chat-phone.png to refresh the screenshot the docs show. The others use the recording fake.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from assistant.contract import Answer
from assistant.settings import Settings
from assistant.web import create_app

BOT = '[data-testid="bot"]'
USER = '[data-testid="user"]'
INPUT = 'textarea[data-testid="textbox"]'
TIMEOUT_MS = 120_000  # a bound for a busy machine, not an expectation
PHONE = {"width": 375, "height": 740}

# For every cell given: how many distinct line tops its text has (1 = it never wraps inside itself).
LINES_OF = """(cells) => cells.map((cell) => {
  const range = document.createRange(); range.selectNodeContents(cell);
  return new Set([...range.getClientRects()].filter((r) => r.width > 0).map((r) => Math.round(r.top))).size;
})"""


class ReadingFake:
    """The recording fake plus READ's `reading` steps on every answer."""

    def __init__(self, recording_assistant: type) -> None:
        self.inner = recording_assistant()

    def ask(self, *args: Any, **kwargs: Any) -> Answer:
        answer = self.inner.ask(*args, **kwargs)
        steps = [{"kind": "duration", "text": "2 <i>hours</i>", "value": "120 minutes"},
                 {"kind": "payer", "text": "", "value": "CPT: the default"}]
        object.__setattr__(answer, "reading", steps)
        return answer

    def health(self) -> dict[str, Any]:
        return self.inner.health()


@pytest.fixture(scope="module")
def fake_app(recording_assistant: type, live_server_factory: Any) -> Iterator[Any]:
    settings = Settings(api_token=None, cors_origins=[], root_path="", trusted_user_header=None)
    live = live_server_factory(create_app(ReadingFake(recording_assistant), settings))
    yield live
    live.stop()


@pytest.fixture
def tab(browser: Any) -> Iterator[Any]:
    context = browser.new_context(viewport={"width": 1100, "height": 900})
    page = context.new_page()
    page.requested = []
    page.on("request", lambda request: page.requested.append(request.url))
    yield page
    context.close()


def ask(page: Any, question: str, expect_text: str) -> Any:
    from playwright.sync_api import expect

    bots = page.locator(BOT)
    before = bots.count()
    box = page.locator(INPUT)
    box.wait_for(timeout=TIMEOUT_MS)
    box.fill(question)
    box.press("Enter")
    expect(bots).to_have_count(before + 1, timeout=TIMEOUT_MS)
    expect(bots.last).to_contain_text(expect_text, timeout=TIMEOUT_MS)
    return bots.last


def test_the_users_html_and_markdown_are_shown_as_text(tab: Any, fake_app: Any) -> None:
    typed = '<img src="http://127.0.0.1:9/pixel.png"> **bold** ![x](http://127.0.0.1:9/md.png) subq 2 hours'
    tab.goto(fake_app.url, wait_until="load")
    ask(tab, typed, "96369")
    user = tab.locator(USER).last
    assert user.inner_text().strip() == typed
    assert user.locator("img").count() == 0 and user.locator("strong").count() == 0
    assert not [url for url in tab.requested if "pixel.png" in url or "md.png" in url], "nothing typed is fetched"


def test_the_reading_trail_is_collapsed_under_the_answer(tab: Any, fake_app: Any) -> None:
    tab.goto(fake_app.url, wait_until="load")
    answer = ask(tab, "subq 2 hours", "96369")
    trail = answer.locator("details.ca-reading")
    assert trail.count() == 1
    assert trail.evaluate("d => d.open") is False
    assert trail.locator("summary").inner_text().strip() == "How I read your question"
    trail.locator("summary").click()
    assert "2 <i>hours</i>" in trail.inner_text() and "120 minutes" in trail.inner_text()
    assert trail.locator("i").count() == 0, "the words in the trail are text too"


def type_length(box: Any, length: int) -> None:
    """Put `length` characters in the box as a paste then a key press would (the key press fires Gradio's input
    event, which Playwright's fill alone does not)."""
    box.fill("x" * (length - 1))
    box.press_sequentially("x")


@pytest.mark.parametrize(("length", "shown"), [
    pytest.param(100, "", id="short-no-counter"),
    pytest.param(1_599, "", id="just-under-80-percent"),
    pytest.param(1_600, "1,600 / 2,000 characters", id="at-80-percent"),
    pytest.param(2_000, "2,000 / 2,000 characters", id="at-limit"),
    pytest.param(2_001, "only the first 2,000 will be read", id="one-over"),
    pytest.param(10_000, "10,000 / 2,000 characters: only the first 2,000 will be read", id="long-paste"),
])
def test_the_counter_near_the_limit(tab: Any, fake_app: Any, length: int, shown: str) -> None:
    from playwright.sync_api import expect

    tab.goto(fake_app.url, wait_until="load")
    box = tab.locator(INPUT)
    box.wait_for(timeout=TIMEOUT_MS)
    counter = tab.locator("#ca-counter")
    if not shown:  # show the counter first, so "it went away" is an observed change, not the initial state
        type_length(box, 1_700)
        expect(counter).to_contain_text("1,700 / 2,000 characters", timeout=TIMEOUT_MS)
    type_length(box, length)
    assert len(box.input_value()) == length, "the box never cuts a paste"
    if shown:
        expect(counter).to_contain_text(shown, timeout=TIMEOUT_MS)
    else:
        expect(counter).to_have_text("", timeout=TIMEOUT_MS)


def test_a_long_question_is_answered_and_the_cut_is_said(tab: Any, fake_app: Any) -> None:
    from playwright.sync_api import expect

    tab.goto(fake_app.url, wait_until="load")
    ask(tab, "subq 2 hours " + "x" * 2_500, "96369")
    expect(tab.locator("#ca-counter")).to_contain_text("only the first 2,000 were read", timeout=TIMEOUT_MS)


def test_another_site_cannot_frame_the_chat_by_default(tab: Any, fake_app: Any) -> None:
    """frame-ancestors 'self' (the default): a page of another origin framing the chat gets no chat. The portal
    page is served by the browser itself on another origin (127.0.0.2); the allowed case is the portal iframe test
    of test_web_browser.py (its app allows http://127.0.0.1:*)."""
    portal = "http://127.0.0.2:9/portal.html"
    html = f'<!doctype html><title>Portal</title><iframe id="chat" src="{fake_app.url}"></iframe>'
    tab.route(portal, lambda route: route.fulfill(body=html, content_type="text/html"))
    tab.goto(portal, wait_until="load")
    (child,) = tab.main_frame.child_frames
    assert not child.url.startswith(fake_app.url), child.url
    assert child.locator(INPUT).count() == 0


def test_phone_width(browser: Any, live_app: Any, tmp_path: Path) -> None:
    """At 375 px: the selectors share one short line, the page never scrolls sideways, answer tables scroll inside
    themselves, and no code or header breaks inside itself."""
    context = browser.new_context(viewport=PHONE, device_scale_factor=2, is_mobile=True, has_touch=True)
    try:
        page = context.new_page()
        page.goto(live_app.url, wait_until="load")
        answer = ask(page, "chemo infusion 3.5 hours then iv push of a second drug", "96413")
        answer = ask(page, "how do I code 2.5 hours subq", "96370")

        layout = page.evaluate("""() => {
          const box = (s) => document.querySelector(s).getBoundingClientRect();
          return {page: document.documentElement.scrollWidth, width: window.innerWidth,
                  options: box('#ca-options').height, payerTop: box('#ca-payer').top,
                  settingTop: box('#ca-setting').top};
        }""")
        assert layout["page"] <= layout["width"], "the page never scrolls sideways"
        assert layout["payerTop"] == layout["settingTop"], "Rules and Setting share one line"
        assert layout["options"] < 0.1 * PHONE["height"], "the selectors take one short line"
        choices = page.evaluate("""() => {
          const row = document.querySelector('#ca-options').getBoundingClientRect();
          return [...document.querySelectorAll('#ca-options label')].map((l) => {
            const r = l.getBoundingClientRect();
            return {left: r.left >= row.left - 1, right: r.right <= row.right + 1, top: Math.round(r.top)};
          });
        }""")
        assert len(choices) == 4 and all(c["left"] and c["right"] for c in choices), "every choice is fully shown"
        assert len({c["top"] for c in choices}) == 1, "the four choices are on one line"

        for table in page.locator(f"{BOT} table").all():
            assert table.evaluate("t => getComputedStyle(t).overflowX") == "auto"
            assert table.evaluate("t => t.getBoundingClientRect().right") <= PHONE["width"]
            codes = table.locator("tbody td:first-child").element_handles()
            headers = table.locator("th").element_handles()
            assert codes and headers
            assert set(page.evaluate(LINES_OF, codes)) == {1}, "a code never breaks inside itself"
            assert set(page.evaluate(LINES_OF, headers)) == {1}, "a header never breaks letter by letter"

        answer.evaluate("e => e.scrollIntoView({block: 'start'})")
        shot = tmp_path / "chat-phone.png"
        page.screenshot(path=str(shot))
        assert shot.stat().st_size > 0
        target = os.environ.get("ASSISTANT_WEB_PHONE_SCREENSHOT")
        if target:
            shutil.copyfile(shot, target)
    finally:
        context.close()
