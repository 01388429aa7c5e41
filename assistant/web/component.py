"""The loader of the `<gradio-app>` web component, served at `/gradio.js` (issue 20 item 6).

Gradio's own loader is one line importing its bundle (`./assets/index-*.js`, relative to the loader: under the
app's prefix). The bundle then adds its main stylesheet as `./assets/index-*.css` relative to the *portal page*, so
behind a proxy under /coding the browser asks for /assets/index-*.css outside the prefix (404, an unstyled chat).
Gradio skips that stylesheet when a `<link>` with exactly that href is already in the page (its `mount_css`), so
this loader adds the stylesheet itself from the loader's own URL, plus an inert marker link with Gradio's relative
href (an unknown `rel` fetches nothing). When the bundle's names cannot be read (another Gradio build), Gradio's
loader is served unchanged.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

import gradio as gr

FRONTEND = Path(gr.__file__).parent / "templates" / "frontend"
_BUNDLE = re.compile(r"""import\(["'`]\./assets/(index-[\w-]+\.js)["'`]\)""")
_STYLESHEET = re.compile(r"""[`'"]\./assets/(index-[\w-]+\.css)[`'"]""")


@lru_cache(maxsize=1)
def loader_script() -> str:
    """The JavaScript served at /gradio.js."""
    original = (FRONTEND / "gradio.js").read_text(encoding="utf-8")
    bundle = _BUNDLE.search(original)
    if bundle is None:
        return original
    try:
        stylesheet = _STYLESHEET.search((FRONTEND / "assets" / bundle.group(1)).read_text(encoding="utf-8"))
    except OSError:
        return original
    if stylesheet is None:
        return original
    relative = f"./assets/{stylesheet.group(1)}"
    return f"""(() => {{
  const relative = "{relative}";
  if (!document.querySelector(`link[href='${{relative}}']`)) {{
    const marker = document.createElement("link");
    marker.rel = "x-gradio-mounted";  // inert: Gradio's mount_css sees it and does not load the page-relative URL
    marker.href = relative;
    document.head.appendChild(marker);
    const sheet = document.createElement("link");
    sheet.rel = "stylesheet";
    sheet.href = new URL(relative, import.meta.url).href;  // under this app's prefix, like the bundle
    document.head.appendChild(sheet);
  }}
}})();
{original}"""
