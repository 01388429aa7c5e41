"""Retrieval: the Chroma vector index of the corpus, the BM25 ranker and the fused retriever.

```python
from assistant.retrieval import build_retriever
retriever = build_retriever(settings, corpus)   # refreshes the index incrementally, then loads BM25
retriever.lookup("96369"); retriever.near_codes("96399"); retriever.search("second subq pump new site")
```
"""

from assistant.retrieval.index import IndexBuildError, IndexReport, refresh_from_settings, refresh_index
from assistant.retrieval.retriever import Hit, Retriever, build_retriever

__all__ = ["Hit", "IndexBuildError", "IndexReport", "Retriever", "build_retriever", "refresh_from_settings",
           "refresh_index"]
