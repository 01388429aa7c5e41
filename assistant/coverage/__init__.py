"""Medicare coverage from the CMS Medicare Coverage Database (MCD) downloads: an importer and a SQLite store.

A leaf package: it imports nothing of the chat, the web, the retrieval or the corpus. docs/coverage.md.
"""

from assistant.coverage.store import ArticleMatch, CoverageStore, DiagnosisListing

__all__ = ["ArticleMatch", "CoverageStore", "DiagnosisListing"]
