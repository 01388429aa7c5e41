"""Issue 20 in a real browser (headless Debian chromium, the real Assistant): a chat coders keep open all day.

At 1280x900 and 375x812: after an answer its first line and its code table are inside the viewport; the chat is at
least 70% of the window's height; no code or header cell wraps inside a code; nothing overflows sideways. Copy codes
puts the exact claim line on the clipboard, Copy puts plain text there; the follow-up control re-asks the question
the other way; the Encounter tab takes "IVP" and starts on the chat's setting; at phone width every choice is fully
shown, in the page and inside a portal iframe.

Set ASSISTANT_WEB_SHOTS=docs to save the pictures the docs show (docs/chat.png, docs/chat-phone.png,
docs/encounter.png) from these tests.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from assistant.chat.answers import codes_line

BOT = '[data-testid="bot"]'
INPUT = 'textarea[data-testid="textbox"]'
TIMEOUT_MS = 120_000  # a bound for a busy machine, not an expectation
SUBQ = "how do I code 2.5 hours subq"
VISIT = "iv push zofran 4 mg then IVPB ceftriaxone 13:00-13:45 facility"
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 375, "height": 812}
VIEWPORTS = [pytest.param(DESKTOP, id="1280x900"), pytest.param(PHONE, id="375x812")]

# For every cell given: how many distinct line tops its text has (1 = it never wraps inside itself).
LINES_OF = """(cells) => cells.map((cell) => {
  const range = document.createRange(); range.selectNodeContents(cell);
  return new Set([...range.getClientRects()].filter((r) => r.width > 0).map((r) => Math.round(r.top))).size;
})"""
# Where an element is, against the window and against the chat's own scroll box.
IN_VIEW = """(element) => {
  const r = element.getBoundingClientRect();
  const chat = document.querySelector('#ca-chatbot').getBoundingClientRect();
  return {top: r.top, bottom: r.bottom, window: window.innerHeight, chatTop: chat.top, chatBottom: chat.bottom};
}"""


def shots_dir() -> Path | None:
    target = os.environ.get("ASSISTANT_WEB_SHOTS")
    return Path(target) if target else None


@pytest.fixture
def new_page(browser: Any) -> Iterator[Any]:
    """`new_page(viewport)`: a fresh tab of that size that may use the clipboard; closed after the test."""
    contexts: list[Any] = []

    def make(viewport: dict[str, int]) -> Any:
        phone = viewport["width"] < 640
        context = browser.new_context(viewport=viewport, is_mobile=phone, has_touch=phone,
                                      device_scale_factor=2 if phone else 1)
        context.grant_permissions(["clipboard-read", "clipboard-write"])
        contexts.append(context)
        return context.new_page()

    yield make
    for context in contexts:
        context.close()


def ask(scope: Any, question: str, expect_text: str) -> Any:
    """Type the question, press Enter, and return the new answer once it shows `expect_text`."""
    from playwright.sync_api import expect

    bots = scope.locator(BOT)
    box = scope.locator(INPUT)
    box.wait_for(timeout=TIMEOUT_MS)
    before = bots.count()
    box.fill(question)
    box.press("Enter")
    expect(bots).to_have_count(before + 1, timeout=TIMEOUT_MS)
    expect(bots.last).to_contain_text(expect_text, timeout=TIMEOUT_MS)
    return bots.last


def wait_in_view(page: Any, element: Any) -> dict[str, float]:
    """Wait until the element's top and bottom are inside the window and the chat's box (the page script scrolls
    the new answer after it is drawn: a condition to wait for, not a pause); returns where it is."""
    handle = element.element_handle()
    page.wait_for_function(
        """(e) => { const r = e.getBoundingClientRect(); const c = document.querySelector('#ca-chatbot')
            .getBoundingClientRect(); return r.top >= Math.max(0, c.top) - 1 && r.bottom <= Math.min(innerHeight,
            c.bottom) + 1; }""", arg=handle, timeout=TIMEOUT_MS)
    return element.evaluate(IN_VIEW)


def clipboard(page: Any) -> str:
    return str(page.evaluate("navigator.clipboard.readText()"))


def no_cell_wraps(page: Any, answer: Any) -> None:
    tables = answer.locator("table").all()
    assert tables, "the answer has a code table"
    for table in tables:
        codes = table.locator("tbody td:first-child").element_handles()
        headers = table.locator("th").element_handles()
        assert codes and headers
        assert set(page.evaluate(LINES_OF, codes)) == {1}, "a code never breaks inside itself"
        assert set(page.evaluate(LINES_OF, headers)) == {1}, "a header never breaks inside itself"


def no_sideways_overflow(scope: Any) -> None:
    widths = scope.evaluate("() => [document.documentElement.scrollWidth, window.innerWidth]")
    assert widths[0] <= widths[1], f"the page scrolls sideways: {widths}"


@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_the_answer_is_in_view_with_its_codes(new_page: Any, live_app: Any, assistant: Any,
                                              viewport: dict[str, int]) -> None:
    page = new_page(viewport)
    page.goto(live_app.url, wait_until="load")
    page.locator(INPUT).wait_for(timeout=TIMEOUT_MS)
    chat = page.evaluate("() => [document.querySelector('#ca-chatbot').getBoundingClientRect().height, innerHeight]")
    assert chat[0] >= 0.7 * chat[1], f"the chat is {chat[0]:.0f} px of a {chat[1]} px window"

    for question, expected in ((SUBQ, "96370"), (VISIT, "96365"), (SUBQ, "96370")):
        answer = ask(page, question, expected)
        codes = [line for line in assistant.ask(question).codes if line.units]
        lead = answer.locator("p").filter(has_text="Report").first
        table = answer.locator("table").first
        wait_in_view(page, answer.locator("p").first)  # the first line ("Read as a new question." or the lead)
        wait_in_view(page, lead)
        where = wait_in_view(page, table)
        assert where["bottom"] <= where["window"], f"{question}: the code table ends below the window ({where})"
        shown = [cell.strip() for cell in table.locator("tbody td:first-child").all_inner_texts()]
        assert shown and all(any(cell.startswith(line.billed) for cell in shown) for line in codes), shown
        no_cell_wraps(page, answer)
        no_sideways_overflow(page)
        # The details are there, collapsed under the codes.
        details = answer.locator("details.ca-details")
        assert details.count() == 1 and details.evaluate("d => d.open") is False

    folder = shots_dir()
    if folder:
        name = "chat.png" if viewport["width"] >= 640 else "chat-phone.png"
        page.screenshot(path=str(folder / name))


def test_copy_codes_puts_the_claim_line_on_the_clipboard(new_page: Any, live_app: Any, assistant: Any) -> None:
    from playwright.sync_api import expect

    page = new_page(DESKTOP)
    page.goto(live_app.url, wait_until="load")
    answer = ask(page, SUBQ, "96370")
    expected = codes_line(assistant.ask(SUBQ).codes)
    assert expected == "96369 x1, 96370 x1"  # rules.md: 150 minutes subq is 96369 + one 96370
    answer.locator("button.ca-copy-codes").click()
    expect(answer.locator("button.ca-copy-codes")).to_have_text("Copied", timeout=TIMEOUT_MS)
    assert clipboard(page) == expected

    answer.locator("button.ca-copy-answer").click()
    expect(answer.locator("button.ca-copy-answer")).to_have_text("Copied", timeout=TIMEOUT_MS)
    text = clipboard(page)
    assert text.startswith("Report 96369 x1 and 96370 x1.")
    assert "Rule applied" in text, "the collapsed details are copied too"
    for markup in ("<", "**", "\\", "| ", "How I read", "Copy codes"):
        assert markup not in text, f"plain text only: {markup!r} in the copy"


@pytest.mark.parametrize(("question", "medicare_modifier"), [
    # 100-04 Ch. 17 s40 and MM13056 (Medicare Part B single-dose containers): JW line for the discarded amount.
    pytest.param("keytruda 150 mg from two 100 mg single-dose vials, medicare", "J9271-JW x50", id="jw-line"),
    # ... and JZ on the drug line when nothing was discarded.
    pytest.param("infliximab 400 mg from four 100 mg vials, medicare", "J1745-JZ x40", id="jz-on-the-line"),
])
def test_the_headline_and_copy_carry_jw_and_jz(new_page: Any, live_app: Any, question: str,
                                               medicare_modifier: str) -> None:
    from playwright.sync_api import expect

    page = new_page(DESKTOP)
    page.goto(live_app.url, wait_until="load")
    answer = ask(page, question, medicare_modifier.split(" ")[0])
    lead = answer.locator("p").filter(has_text="Report").first.inner_text()
    assert medicare_modifier in lead
    assert medicare_modifier.split(" ")[0] in answer.locator("table").first.inner_text()
    answer.locator("button.ca-copy-codes").click()
    expect(answer.locator("button.ca-copy-codes")).to_have_text("Copied", timeout=TIMEOUT_MS)
    assert medicare_modifier in clipboard(page)


def test_the_follow_up_control_asks_the_other_way(new_page: Any, live_app: Any) -> None:
    from playwright.sync_api import expect

    page = new_page(DESKTOP)
    page.goto(live_app.url, wait_until="load")
    ask(page, SUBQ, "96370")
    answer = ask(page, "what about 3 hours?", "96370")
    first = answer.locator("p.ca-turn")
    assert "Read as a follow-up to your earlier question" in first.inner_text()
    assert answer.locator("table").first.locator("td").nth(4).inner_text().strip() == "2"  # 96370 x2 (180 min)

    answer.locator("button.ca-ask-new").click()
    # As a new question "what about 3 hours?" names no service: no units are counted (never another rule).
    expect(page.locator(BOT).last.locator("p.ca-turn")).to_contain_text("Read as a new question",
                                                                        timeout=TIMEOUT_MS)
    assert page.locator(BOT).count() == 2, "the answer is replaced, not added"
    assert "96370" not in page.locator(BOT).last.inner_text()

    page.locator(BOT).last.locator("button.ca-ask-followup").click()
    expect(page.locator(BOT).last.locator("p.ca-turn")).to_contain_text("Read as a follow-up", timeout=TIMEOUT_MS)
    expect(page.locator(BOT).last).to_contain_text("96370", timeout=TIMEOUT_MS)


@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_the_encounter_tab_takes_ivp(new_page: Any, live_app: Any, viewport: dict[str, int]) -> None:
    from playwright.sync_api import expect

    page = new_page(viewport)
    page.goto(live_app.url, wait_until="load")
    page.locator(INPUT).wait_for(timeout=TIMEOUT_MS)
    page.get_by_role("tab", name="Encounter").click()
    # The same default setting as the chat (the configured one: professional).
    expect(page.locator("#ca-enc-setting input[value='professional']")).to_be_checked(timeout=TIMEOUT_MS)

    # The form's route is a dropdown that also takes what a coder types.
    page.locator("#ca-enc-substance textarea, #ca-enc-substance input").first.fill("toradol")
    route = page.locator("#ca-enc-route input").first
    route.fill("IVP")
    route.press("Enter")
    page.locator("#ca-enc-dose textarea, #ca-enc-dose input").first.fill("30 mg")
    page.locator("#ca-enc-start textarea, #ca-enc-start input").first.fill("09:40")
    page.locator("#ca-enc-add-row").click()
    expect(page.locator("#ca-enc-added")).to_contain_text("Added: toradol (IVP)", timeout=TIMEOUT_MS)
    assert page.locator("#ca-enc-route input").first.input_value() in ("IVP", "IV push (IVP)")
    expect(page.locator("#ca-enc-table")).to_contain_text("toradol", timeout=TIMEOUT_MS)

    page.locator("#ca-enc-code").click()
    result = page.locator("#ca-enc-result")
    expect(result).to_contain_text("Billable lines", timeout=TIMEOUT_MS)
    assert "can't read the table" not in result.inner_text()
    assert "96375" in result.inner_text(), "the IVP rows are IV pushes (zofran, toradol after the initial infusion)"
    no_cell_wraps(page, result)
    no_sideways_overflow(page)
    # Codes first here too, and Copy codes copies the lead's lines.
    assert "Substance" not in result.inner_text(), "the visit table is folded under the codes"
    lead = result.locator("p").first.inner_text().strip()
    assert lead.startswith("Report ") and lead.endswith(".")
    result.locator("button.ca-copy-codes").click()
    expect(result.locator("button.ca-copy-codes")).to_have_text("Copied", timeout=TIMEOUT_MS)
    assert clipboard(page) == lead[len("Report "):-1].replace(" and ", ", ")
    headers = page.locator("#ca-enc-table th span.text").element_handles()
    assert headers and set(page.evaluate(LINES_OF, headers)) == {1}, "table headers never break mid-word"

    folder = shots_dir()
    if folder:
        name = "encounter.png" if viewport["width"] >= 640 else "encounter-phone.png"
        page.screenshot(path=str(folder / name), full_page=True)


def every_choice_shown(scope: Any) -> list[dict[str, bool]]:
    return list(scope.evaluate("""() => {
      const row = document.querySelector('#ca-options').getBoundingClientRect();
      return [...document.querySelectorAll('#ca-options label')].map((l) => {
        const r = l.getBoundingClientRect();
        return {inside: r.left >= row.left - 1 && r.right <= row.right + 1 && r.right <= innerWidth + 1,
                text: l.innerText.trim()};
      });
    }"""))


def test_phone_nothing_is_cut_off_in_the_page_or_the_portal(new_page: Any, live_app: Any, portal_url: str) -> None:
    page = new_page(PHONE)
    page.goto(live_app.url, wait_until="load")
    page.locator(INPUT).wait_for(timeout=TIMEOUT_MS)
    choices = every_choice_shown(page)
    assert [c["text"] for c in choices] == ["CPT", "Medicare", "Professional", "Facility"]
    assert all(c["inside"] for c in choices), choices
    no_sideways_overflow(page)

    page.goto(portal_url, wait_until="load")
    frame = page.frame_locator("iframe#coding-assistant")
    frame.locator(INPUT).wait_for(timeout=TIMEOUT_MS)
    inner = page.frames[1]
    choices = every_choice_shown(inner)
    assert len(choices) == 4 and all(c["inside"] for c in choices), choices
    no_sideways_overflow(inner)
    answer = ask(frame, SUBQ, "96370")
    assert answer.locator("table").count() >= 1
    no_sideways_overflow(inner)
