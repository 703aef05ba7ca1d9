"""Settings of the web application (section ``[web]`` of kundenwert.toml)."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field, field_validator


class WebSettings(BaseModel):
    """Settings of ``kundenwert serve``."""

    model_config = ConfigDict(extra="forbid", populate_by_name=True)

    host: str = Field("127.0.0.1", description="Address the web server listens on.")
    port: int = Field(8000, ge=1, le=65535, description="Port the web server listens on.")
    session_hours: int = Field(
        12, ge=1, le=24 * 30, description="Hours a log-in stays valid without logging in again."
    )
    secure_cookies: bool = Field(
        False,
        description=("Send the session cookie only over HTTPS; set to true behind a TLS proxy."),
    )
    token_days: int = Field(
        365, ge=1, le=3650, description="Days an API token is valid after it was made."
    )
    login_attempts: int = Field(
        5,
        ge=1,
        description=(
            "Failed log-ins per user name before each further try must wait: 1 second, then "
            "twice as long after every further failure, at most `login_max_delay_seconds`."
        ),
    )
    login_attempts_per_address: int = Field(
        20,
        ge=1,
        description="Failed log-ins per client address (any user name) before tries must wait.",
    )
    login_max_delay_seconds: int = Field(
        60,
        ge=1,
        le=3600,
        description="Longest wait after failed log-ins; nobody is locked out for longer.",
    )
    max_body_mb: float = Field(
        200,
        gt=0,
        description=(
            "Largest request body in MB, uploads included; larger ones are refused (413) "
            "before they are read."
        ),
    )
    body_timeout_seconds: float = Field(
        30,
        gt=0,
        description=(
            "Seconds a request body may pause while being sent before the request is dropped (408)."
        ),
    )
    page_size: int = Field(
        50, ge=10, le=1000, description="Customers per page in the customer list."
    )
    scatter_points: int = Field(
        2000,
        ge=100,
        le=20000,
        description=(
            "Most customers drawn in the matrix scatter of the overview; beyond that the "
            "largest by ABC measure are drawn and the chart says how many are left out."
        ),
    )
    account_managers: dict[str, str] = Field(
        default_factory=dict,
        description=(
            "Map of log-in name to the name used in `customers.account_manager`, for "
            "account managers whose log-in differs from that name."
        ),
    )

    @field_validator("host")
    @classmethod
    def _host(cls, value: str) -> str:
        if not value.strip():
            raise ValueError("must not be empty")
        return value
