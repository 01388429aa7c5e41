"""The chat page's one script (issue 20 items 1, 2 and 7), added to the page's <head> by `ui.HEAD`.

- Each new answer is scrolled to its first line inside the chat (Gradio's own autoscroll, which goes to the bottom,
  is off), so the lead and the code table are in view; opening a collapsed block never moves the chat.
- "Copy codes" copies the answer's billable lines as one clean line (the button carries it, written by the server
  from `Answer.codes`); "Copy" copies the answer as the coder sees it, in plain text (the collapsed details opened,
  the toolbar, the first line and the reading trail left out): never HTML or Markdown escapes.
- "Ask as a new question" / "Read it with the earlier question" click the page's hidden Gradio buttons, which
  answer the last question again the other way (a server turn like any other, still stateless).

One delegated listener on the document, so answers rendered later need nothing of their own. Only the page's own
elements are touched; nothing is sent anywhere but the app itself.
"""

from __future__ import annotations

PAGE_SCRIPT = """<script>
(() => {
  if (window.caChatScript) return;
  window.caChatScript = true;
  const BOT = '#ca-chatbot [data-testid="bot"]';
  const REDO = new Set(["ca-ask-new", "ca-ask-followup"]);

  const writeClipboard = async (text) => {
    try { await navigator.clipboard.writeText(text); return true; } catch (error) { /* older or no permission */ }
    const area = document.createElement("textarea");
    area.value = text; area.setAttribute("readonly", ""); area.style.position = "fixed"; area.style.opacity = "0";
    document.body.appendChild(area); area.select();
    let done = false;
    try { done = document.execCommand("copy"); } catch (error) { done = false; }
    area.remove();
    return done;
  };

  const plainText = (message) => {
    const closed = [...message.querySelectorAll("details.ca-details:not([open])")];
    closed.forEach((d) => { d.open = true; });
    const hidden = [...message.querySelectorAll(".ca-tools, details.ca-reading, .ca-turn, .ca-details > summary")];
    const before = hidden.map((e) => e.style.display);
    hidden.forEach((e) => { e.style.display = "none"; });
    const text = message.innerText;
    hidden.forEach((e, i) => { e.style.display = before[i]; });
    closed.forEach((d) => { d.open = false; });
    return text.replace(/\\n{3,}/g, "\\n\\n").trim();
  };

  const said = (button, words) => {
    const old = button.dataset.label || button.textContent;
    button.dataset.label = old;
    button.textContent = words;
    setTimeout(() => { button.textContent = old; }, 1500);
  };

  document.addEventListener("click", async (event) => {
    const mine = "button.ca-copy-codes, button.ca-copy-answer, button.ca-redo";
    const button = event.target.closest && event.target.closest(mine);
    if (!button) return;
    event.preventDefault();
    event.stopPropagation();
    if (button.classList.contains("ca-redo")) {
      const target = [...button.classList].find((name) => REDO.has(name));
      const hidden = target && document.getElementById(target);
      if (hidden) { button.disabled = true; hidden.click(); }
      return;
    }
    const message = button.closest('[data-testid="bot"]');
    const codes = button.parentElement && button.parentElement.querySelector(".ca-codes");
    const text = button.classList.contains("ca-copy-codes") ? (codes ? codes.textContent.trim() : "")
      : (message ? plainText(message) : "");
    if (text) said(button, (await writeClipboard(text)) ? "Copied" : "Copy failed");
  }, true);

  // Scroll a new (or re-asked) answer to its first line: the chat's own scroll box, never the portal's page.
  let placed = "";
  const place = () => {
    const bots = document.querySelectorAll(BOT);
    const last = bots[bots.length - 1];
    if (!last) return;
    const key = bots.length + ":" + last.textContent.slice(0, 160);
    if (key === placed) return;
    placed = key;
    let box = last.parentElement;
    while (box && !(box.scrollHeight > box.clientHeight + 1 && /(auto|scroll)/.test(getComputedStyle(box).overflowY))) {
      box = box.parentElement;
    }
    if (box && box !== document.body && box !== document.documentElement) {
      box.scrollTop += last.getBoundingClientRect().top - box.getBoundingClientRect().top - 8;
    }
  };
  let pending = false;
  new MutationObserver(() => {
    if (pending) return;
    pending = true;
    requestAnimationFrame(() => { pending = false; place(); });
  }).observe(document.documentElement, {childList: true, subtree: true, characterData: true});
})();
</script>"""
