"""The only module that speaks HTTP: a small client for Northbeam's Orders API v2.

It sends exactly the bytes it is given (the uploader serializes, because it must know body sizes
to pace itself), adds both auth headers to every call, never turns TLS verification off, and
turns every answer into either a `PostResult` the uploader can act on (200, 400, 413, 429) or an
exception whose message a shop owner can read (401, 5xx, network trouble). No message or log line
contains the API key.

A 2xx counts as Northbeam's confirmation only when its body says so
(`envelope.confirmation_problem`, rules in docs/UPLOAD_SAFETY.md): a captive portal's web page, a damaged or empty body, or a JSON
error behind a 200 raise `UnconfirmedError`, which the uploader treats like an outage (the
orders stay unconfirmed and are sent again), never as accepted.
"""

from __future__ import annotations

import json
import logging
import time
from dataclasses import dataclass, field
from datetime import date
from typing import Any
from urllib.parse import urlsplit

import requests
import requests.adapters

from northbeam_desktop import __version__
from northbeam_desktop.core.local.secrets import Credentials
from northbeam_desktop.core.northbeam.envelope import (
    JSON_TYPE_RE,
    OrderError,
    confirmation_problem,
    media_type,
    parse_envelope,
)
from northbeam_desktop.core.northbeam.environments import describe_endpoint

log = logging.getLogger(__name__)

USER_AGENT = f"northbeam-desktop/{__version__}"

# Statuses post_orders() hands back instead of raising: the uploader decides what they mean for
# each order (accepted, rejected with detail, split the batch, wait and resend).
HANDLED_POST_STATUSES = frozenset({400, 413, 429})


class NorthbeamError(Exception):
    """Anything that stopped a call. `str(err)` is written for a shop owner.

    `retryable` tells the uploader whether sending the same request again may help.
    """

    retryable = False

    def __init__(
        self, message: str, *, status: int | None = None, summary: str | None = None
    ) -> None:
        super().__init__(message)
        self.message = message
        self.status = status
        # A short phrase without advice, for progress lines such as "…; trying again in 2 s".
        self.summary = summary or message.split(". ")[0].rstrip(".")


class AuthError(NorthbeamError):
    """401/403: the key or the Data-Client-ID was not accepted. Never retried."""


class ServerError(NorthbeamError):
    """5xx (and 408): Northbeam's side failed; sending again later may work."""

    retryable = True


class UnconfirmedError(NorthbeamError):
    """A 2xx whose body is not Northbeam's confirmation: the orders may or may not be stored.

    Sending again is safe (POST is an upsert) and may reach Northbeam once the network lets it
    through, so it is retried like an outage; it never counts as accepted.
    """

    retryable = True


class NetworkError(NorthbeamError):
    """Timeouts, resets, DNS failures: the request may or may not have arrived."""

    retryable = True


class TLSError(NetworkError):
    """The server's certificate could not be verified. Retrying will not fix it."""

    retryable = False


@dataclass(slots=True)
class PostResult:
    status: int
    envelope: Any = None  # the parsed JSON body, or None when the body was not JSON
    errors: list[OrderError] = field(default_factory=list)
    message: str | None = None  # plain-text explanation when there is no per-order list
    retry_after: float | None = None  # seconds, for 429
    elapsed: float = 0.0
    body_bytes: int = 0

    @property
    def ok(self) -> bool:
        return 200 <= self.status < 300


@dataclass(frozen=True, slots=True)
class ConnectionCheck:
    ok: bool
    message: str
    status: int | None = None


class NorthbeamClient:
    """One account on one environment. Thread-safe for concurrent `post_orders` calls: the
    session's connection pool is sized for a few requests in flight and no cookies are used."""

    def __init__(
        self,
        base_url: str,
        credentials: Credentials,
        *,
        connect_timeout: float = 10,
        read_timeout: float = 60,
        session: requests.Session | None = None,
        environment_name: str | None = None,
        pool_size: int = 8,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self.credentials = credentials
        self.connect_timeout = connect_timeout
        self.read_timeout = read_timeout
        self.environment_name = environment_name or describe_endpoint(self.base_url)
        self.host = urlsplit(self.base_url).netloc or self.base_url
        self._owns_session = session is None
        self.session = session if session is not None else requests.Session()
        if self._owns_session:
            # Retries are the uploader's job (it knows which are safe); urllib3's own are off.
            adapter = requests.adapters.HTTPAdapter(
                pool_connections=2, pool_maxsize=pool_size, max_retries=0
            )
            self.session.mount("https://", adapter)
            self.session.mount("http://", adapter)
        self.session.verify = True
        self.session.headers.update(
            {
                "Authorization": credentials.api_key,
                "Data-Client-ID": credentials.client_id,
                "Content-Type": "application/json",
                "Accept": "application/json",
                "User-Agent": USER_AGENT,
            }
        )

    @property
    def client_id(self) -> str:
        return self.credentials.client_id

    @property
    def orders_url(self) -> str:
        return f"{self.base_url}/orders"

    def close(self) -> None:
        if self._owns_session:
            self.session.close()

    def __enter__(self) -> NorthbeamClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"NorthbeamClient({self.base_url!r}, client_id={self.client_id!r})"

    # -- calls --------------------------------------------------------------------------------

    def post_orders(self, body: bytes) -> PostResult:
        """POST a pre-serialized JSON array of orders.

        Returns a PostResult for a confirmed 2xx, 400, 413 and 429; raises UnconfirmedError (a
        2xx without Northbeam's confirmation), AuthError (401/403), ServerError (5xx/408),
        NetworkError (no answer) or NorthbeamError (anything else).
        """
        started = time.monotonic()
        response = self._request("POST", self.orders_url, data=body)
        elapsed = time.monotonic() - started
        status = response.status_code
        envelope, errors, message, retry_after = parse_envelope(
            status, response.content, response.headers
        )
        log.debug(
            "POST %s: %d bytes -> HTTP %d in %.3f s", self.orders_url, len(body), status, elapsed
        )
        if 200 <= status < 300:
            problem = confirmation_problem(response.headers.get("Content-Type"), response.content)
            if problem is not None:
                log.warning("POST %s: HTTP %d not confirmed: %s", self.orders_url, status, problem)
                summary = f"{self.host} answered {problem}"
                raise UnconfirmedError(
                    f"{summary}, so these orders were not counted as sent.",
                    status=status,
                    summary=summary,
                )
        if 200 <= status < 300 or status in HANDLED_POST_STATUSES:
            return PostResult(
                status=status,
                envelope=envelope,
                errors=errors if status == 400 else [],
                message=message,
                retry_after=retry_after,
                elapsed=elapsed,
                body_bytes=len(body),
            )
        raise self._error_for(status, message)

    def get_orders(self, start: date, end: date) -> list[dict[str, Any]]:
        """Orders Northbeam holds with a purchase date in [start, end]."""
        response = self._request(
            "GET",
            self.orders_url,
            params={"start_date": start.isoformat(), "end_date": end.isoformat()},
        )
        status = response.status_code
        envelope, _errors, message, _retry = parse_envelope(
            status, response.content, response.headers
        )
        if not 200 <= status < 300:
            raise self._error_for(status, message)
        if not JSON_TYPE_RE.match(media_type(response.headers.get("Content-Type"))) or (
            envelope is None and response.content.strip()
        ):
            raise NorthbeamError(
                f"{self.host} answered the order lookup with something other than Northbeam's "
                "list of orders (a Wi-Fi sign-in page or a network filter may be in the way).",
                status=status,
            )
        # No response schema is published (ORDERS_API.md §7.17): accept a bare list or a list
        # under a few likely keys, including the envelope's JSON-encoded `response` string.
        candidates: list[Any] = [envelope]
        if isinstance(envelope, dict):
            for key in ("orders", "data", "response", "results"):
                value = envelope.get(key)
                if isinstance(value, str):
                    try:
                        value = json.loads(value)
                    except ValueError:
                        continue
                candidates.append(value)
        for candidate in candidates:
            if isinstance(candidate, list):
                return [item for item in candidate if isinstance(item, dict)]
        if envelope is None or envelope == {}:
            return []
        raise NorthbeamError(
            f"{self.environment_name} answered the order lookup in a form this version of "
            "Northbeam Desktop does not understand.",
            status=status,
        )

    def check_credentials(self) -> ConnectionCheck:
        """Ask whether the key is accepted without creating anything.

        POSTing an empty array is invalid (`minItems` 1): a host that accepted the key answers
        400, one that did not answers 401, and no order is ever written.
        """
        try:
            result = self.post_orders(b"[]")
        except AuthError as exc:
            return ConnectionCheck(False, exc.message, exc.status)
        except UnconfirmedError as exc:
            return ConnectionCheck(
                False,
                f"{exc.summary}, so the connection could not be checked; check the address and "
                "the network.",
                exc.status,
            )
        except NorthbeamError as exc:
            return ConnectionCheck(False, exc.message, exc.status)
        if result.status == 429:
            return ConnectionCheck(
                True,
                f"Connected to {self.environment_name}; the key works, but Northbeam is busy "
                "right now.",
                429,
            )
        return ConnectionCheck(
            True, f"Connected to {self.environment_name}; the key was accepted.", result.status
        )

    # -- plumbing -----------------------------------------------------------------------------

    def _request(self, method: str, url: str, **kwargs: Any) -> requests.Response:
        try:
            return self.session.request(
                method,
                url,
                timeout=(self.connect_timeout, self.read_timeout),
                verify=True,
                allow_redirects=False,  # a redirect could carry the key to another host
                **kwargs,
            )
        except requests.exceptions.InvalidHeader:
            # requests' own message quotes the header value, i.e. the key: never surface it.
            raise AuthError(
                "The API key or Data Client ID contains a line break or stray spaces. "
                "Copy it again from the Northbeam dashboard (Settings → API Keys)."
            ) from None
        except requests.exceptions.SSLError:
            raise TLSError(
                f"The secure connection to {self.host} could not be verified, so nothing was "
                "sent. Check the computer's date and time, and any network filter or proxy "
                "that inspects secure traffic."
            ) from None
        except requests.exceptions.ConnectTimeout:
            raise NetworkError(
                f"Could not reach {self.host} (no answer within {self.connect_timeout:g} s). "
                "Check your internet connection and try again.",
                summary=f"Could not reach {self.host}",
            ) from None
        except requests.exceptions.Timeout:
            raise NetworkError(
                f"{self.host} did not answer within {self.read_timeout:g} s. The orders may or "
                "may not have arrived; sending them again is safe.",
                summary=f"{self.host} did not answer in time",
            ) from None
        except requests.exceptions.ConnectionError as exc:
            if _is_reset(exc):
                raise NetworkError(
                    f"The connection to {self.host} was interrupted. Sending again is safe."
                ) from None
            raise NetworkError(
                f"Could not reach {self.host}. Check your internet connection and that the "
                "address is right, then try again."
            ) from None
        except requests.exceptions.RequestException as exc:
            raise NetworkError(
                f"The request to {self.host} failed ({type(exc).__name__})."
            ) from None

    def _error_for(self, status: int, message: str | None) -> NorthbeamError:
        detail = f" Northbeam said: {message}" if message else ""
        if status in (401, 403):
            return AuthError(
                f"Northbeam did not accept the API key / Data Client ID for "
                f"{self.environment_name}. Check both values (Northbeam dashboard → Settings → "
                "API Keys).",
                status=status,
            )
        if status == 408 or status >= 500:
            return ServerError(
                f"Northbeam had a problem (HTTP {status}).{detail}",
                status=status,
                summary=f"Northbeam had a problem (HTTP {status})",
            )
        if status in (301, 302, 303, 307, 308):
            return NorthbeamError(
                f"{self.host} redirected the request elsewhere (HTTP {status}); check the URL.",
                status=status,
            )
        if status == 404:
            return NorthbeamError(
                f"{self.host} has no Northbeam Orders API at {self.base_url} (HTTP 404); "
                "check the URL.",
                status=status,
            )
        return NorthbeamError(
            f"Northbeam refused the request (HTTP {status}).{detail}", status=status
        )


def _is_reset(exc: BaseException) -> bool:
    """True when a ConnectionError wraps a reset/abort rather than a failed connect."""
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        if isinstance(current, ConnectionResetError | BrokenPipeError | ConnectionAbortedError):
            return True
        name = type(current).__name__
        if name in ("ProtocolError", "RemoteDisconnected"):
            return True
        for arg in getattr(current, "args", ()):
            if isinstance(arg, BaseException) and id(arg) not in seen and _is_reset(arg):
                return True
        current = current.__cause__ or current.__context__
    return False
