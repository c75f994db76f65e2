"""Where orders go: Northbeam's sandbox (UAT), production, or a custom URL.

The host is the only thing that decides whether an upload is a rehearsal or a real write
(Northbeam has no test-mode keys, ORDERS_API.md §1.1), so the environment is an explicit, named
choice everywhere and Sandbox is the default.
"""

from __future__ import annotations

from enum import StrEnum
from urllib.parse import urlsplit

SANDBOX_BASE_URL = "https://api-uat.northbeam.io/v2"
PRODUCTION_BASE_URL = "https://api.northbeam.io/v2"

# Northbeam publishes these for its UAT host (ORDERS_API.md §1.4): they validate and store
# nothing, so anyone can rehearse an upload without an account. They are not secrets.
SANDBOX_TEST_API_KEY = "None"
SANDBOX_TEST_CLIENT_ID = "test"

# Plain http is only acceptable when the traffic never leaves this computer (a local stand-in).
_LOOPBACK_HOSTS = frozenset({"127.0.0.1", "localhost", "::1"})


class EndpointError(ValueError):
    """A custom URL that cannot be used; the message says why in plain words."""


class Environment(StrEnum):
    SANDBOX = "sandbox"
    PRODUCTION = "production"
    CUSTOM = "custom"

    @property
    def label(self) -> str:
        return _LABELS[self]

    @property
    def short_name(self) -> str:
        """For sentences such as "… not accepted for Sandbox"."""
        return _SHORT_NAMES[self]

    @property
    def base_url(self) -> str | None:
        """The v2 root, or None for a custom URL (the user supplies it)."""
        return _BASE_URLS.get(self)


_LABELS = {
    Environment.SANDBOX: "Sandbox (Northbeam UAT — nothing is stored)",
    Environment.PRODUCTION: "Production (live data)",
    Environment.CUSTOM: "Custom URL",
}
_SHORT_NAMES = {
    Environment.SANDBOX: "Sandbox",
    Environment.PRODUCTION: "Production",
    Environment.CUSTOM: "Custom URL",
}
_BASE_URLS = {
    Environment.SANDBOX: SANDBOX_BASE_URL,
    Environment.PRODUCTION: PRODUCTION_BASE_URL,
}

DEFAULT_ENVIRONMENT = Environment.SANDBOX


def resolve_endpoint(env: Environment | str, custom_url: str | None = None) -> str:
    """The v2 root URL for `env` (orders are POSTed to `{root}/orders`).

    A custom URL must be http(s); https is required unless the host is this computer, because
    the API key travels in a header. Credentials, query strings and fragments in the URL are
    refused (they would end up in logs and in the ledger's environment key).
    """
    env = Environment(env)
    if env is not Environment.CUSTOM:
        base = env.base_url
        assert base is not None
        return base
    if custom_url is None or not custom_url.strip():
        raise EndpointError("Enter the custom URL, for example https://proxy.example.com/v2.")
    url = custom_url.strip()
    try:
        parts = urlsplit(url)
        port = parts.port  # raises ValueError for a non-numeric or out-of-range port
    except ValueError:
        raise EndpointError(f"“{url}” is not a valid web address.") from None
    scheme = parts.scheme.lower()
    if scheme not in ("http", "https"):
        raise EndpointError(
            f"“{url}” must start with https:// (or http:// for a server on this computer)."
        )
    host = (parts.hostname or "").lower()
    if not host:
        raise EndpointError(f"“{url}” has no server name.")
    if parts.username or parts.password:
        raise EndpointError(
            "Do not put a user name or password in the URL; the API key is sent separately."
        )
    if parts.query or parts.fragment:
        raise EndpointError(f"“{url}” must not contain “?” or “#” parts.")
    if scheme == "http" and host not in _LOOPBACK_HOSTS:
        raise EndpointError(
            f"“{url}” uses http://, which would send the API key unencrypted. "
            "Use https:// (http:// is allowed only for 127.0.0.1 or localhost)."
        )
    netloc = f"[{host}]" if ":" in host else host
    if port is not None:
        netloc = f"{netloc}:{port}"
    path = parts.path.rstrip("/")
    return f"{scheme}://{netloc}{path}"


def environment_for_endpoint(base_url: str) -> Environment:
    """Which environment a resolved URL belongs to (custom for anything not Northbeam's)."""
    normalized = base_url.rstrip("/")
    for env, url in _BASE_URLS.items():
        if normalized == url:
            return env
    return Environment.CUSTOM


def describe_endpoint(base_url: str) -> str:
    """A short name for messages: "Sandbox", "Production", or the custom host (with port)."""
    env = environment_for_endpoint(base_url)
    if env is not Environment.CUSTOM:
        return env.short_name
    netloc = urlsplit(base_url).netloc
    return netloc or base_url
