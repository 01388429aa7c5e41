"""Start the assistant's web app (chat UI + JSON API) on the configured host and port."""

from assistant.web.server import main

if __name__ == "__main__":
    raise SystemExit(main())
