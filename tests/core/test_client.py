"""The HTTP client against a real local Northbeam (the stand-in) on 127.0.0.1, plus the
envelope parser and endpoint rules it relies on."""

from __future__ import annotations

import json
import socket
from datetime import date

import pytest

from northbeam_desktop import __version__
from northbeam_desktop.core.local.secrets import Credentials
from northbeam_desktop.core.northbeam.client import (
    AuthError,
    NetworkError,
    NorthbeamError,
    ServerError,
    TLSError,
    UnconfirmedError,
)
from northbeam_desktop.core.northbeam.envelope import (
    confirmation_problem,
    normalize_json_path,
    parse_envelope,
    parse_retry_after,
)
from northbeam_desktop.core.northbeam.environments import (
    PRODUCTION_BASE_URL,
    SANDBOX_BASE_URL,
    EndpointError,
    Environment,
    describe_endpoint,
    resolve_endpoint,
)
from tests.odd_answers import ODD_WORDS


def body(*orders: dict) -> bytes:
    return json.dumps(list(orders), separators=(",", ":")).encode()


# -- environments ---------------------------------------------------------------------------


def test_environment_labels_and_urls() -> None:
    assert Environment.SANDBOX.label == "Sandbox (Northbeam UAT — nothing is stored)"
    assert Environment.PRODUCTION.label == "Production (live data)"
    assert Environment.CUSTOM.label == "Custom URL"
    assert resolve_endpoint(Environment.SANDBOX) == SANDBOX_BASE_URL
    assert resolve_endpoint("production", "ignored") == PRODUCTION_BASE_URL
    assert describe_endpoint(SANDBOX_BASE_URL + "/") == "Sandbox"
    assert describe_endpoint("http://127.0.0.1:8765/v2") == "127.0.0.1:8765"


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://proxy.example.com/v2/", "https://proxy.example.com/v2"),
        ("  HTTPS://Proxy.Example.com:8443/v2//  ", "https://proxy.example.com:8443/v2"),
        ("http://127.0.0.1:8765/v2/", "http://127.0.0.1:8765/v2"),
        ("http://localhost:8765/v2", "http://localhost:8765/v2"),
        ("http://[::1]:8765/v2", "http://[::1]:8765/v2"),
    ],
)
def test_custom_url_accepted(url: str, expected: str) -> None:
    assert resolve_endpoint(Environment.CUSTOM, url) == expected


@pytest.mark.parametrize(
    ("url", "why"),
    [
        (None, "Enter the custom URL"),
        ("", "Enter the custom URL"),
        ("ftp://example.com/v2", "must start with https://"),
        ("api.northbeam.io/v2", "must start with https://"),
        ("http://proxy.example.com/v2", "unencrypted"),
        ("https://user:pw@proxy.example.com/v2", "user name or password"),
        ("https://proxy.example.com/v2?x=1", "“?” or “#”"),
        ("https://:8443/v2", "no server name"),
        ("https://proxy.example.com:99999/v2", "not a valid web address"),
    ],
)
def test_custom_url_refused(url: str | None, why: str) -> None:
    with pytest.raises(EndpointError, match=why.replace("?", r"\?")):
        resolve_endpoint(Environment.CUSTOM, url)


# -- envelope parsing -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("$[3].products[0].price", (3, "products[0].price")),
        ("$[0]", (0, "")),
        ("$", (None, "")),
        (
            "$[12].customer_shipping_address.country_code",
            (12, "customer_shipping_address.country_code"),
        ),
        ("$[0]['Order Notes']", (0, "Order Notes")),
        ("$[2]['products'][1]['price']", (2, "products[1].price")),
        ("tax", (None, "tax")),
        (None, (None, "")),
    ],
)
def test_normalize_json_path(path: str | None, expected: tuple[int | None, str]) -> None:
    assert normalize_json_path(path) == expected


def test_envelope_with_json_encoded_list() -> None:
    items = [
        {"order_id": "A-1", "message": "Should be a number", "json_path": "$[1].products[0].price"},
        {"order_id": "A-2", "message": "Missing required field 'tax'.", "json_path": "$[2].tax"},
    ]
    raw = json.dumps({"status": "400", "response": json.dumps(items)}).encode()
    envelope, errors, message, retry = parse_envelope(400, raw)
    assert envelope["status"] == "400"
    assert [(e.order_id, e.index, e.path, e.message) for e in errors] == [
        ("A-1", 1, "products[0].price", "Should be a number"),
        ("A-2", 2, "tax", "Missing required field 'tax'."),
    ]
    assert message is None and retry is None


def test_envelope_variants() -> None:
    # `response` already a list
    raw = json.dumps(
        {"status": "400", "response": [{"order_id": "B", "message": "bad", "json_path": "$[0]"}]}
    )
    _, errors, _, _ = parse_envelope(400, raw.encode())
    assert [(e.order_id, e.index, e.path) for e in errors] == [("B", 0, "")]
    # plain-text response
    _, errors, message, _ = parse_envelope(400, b'{"status":"400","response":"Bad Request"}')
    assert errors == [] and message == "Bad Request"
    # a JSON-encoded string holding a string
    _, errors, message, _ = parse_envelope(
        400, json.dumps({"status": "400", "response": '"oops"'}).encode()
    )
    assert errors == [] and message == "oops"
    # not JSON at all (a proxy's HTML page)
    _, errors, message, _ = parse_envelope(502, b"<html><body>Bad gateway</body></html>")
    assert errors == [] and message == "Bad gateway"
    # empty body
    assert parse_envelope(500, b"") == (None, [], None, None)
    # a bare list body
    _, errors, _, _ = parse_envelope(
        400, b'[{"order_id":"C","message":"m","json_path":"$[4].tax"}]'
    )
    assert [(e.order_id, e.index) for e in errors] == [("C", 4)]


def test_rate_limit_body_and_header() -> None:
    raw = b'{"error":"rate_limit_error","retry_after_seconds":37}'
    _, errors, message, retry = parse_envelope(429, raw, {"Retry-After": "5"})
    assert retry == 37 and errors == [] and message == "rate_limit_error"
    assert parse_envelope(429, b"", {"retry-after": "12"})[3] == 12
    assert parse_retry_after("Wed, 21 Oct 2015 07:28:00 GMT") == 0.0  # a date in the past
    assert parse_retry_after("soon") is None


# -- against the stand-in -------------------------------------------------------------------


def test_accepted_post_and_get(client, standin, order_payload) -> None:
    result = client.post_orders(body(order_payload(1), order_payload(2)))
    assert result.ok and result.status == 200 and result.errors == []
    assert set(standin.stored_orders()) == {"ord-00001", "ord-00002"}
    fetched = client.get_orders(date(2026, 3, 8), date(2026, 3, 8))
    assert {o["order_id"] for o in fetched} == {"ord-00001", "ord-00002"}
    assert client.get_orders(date(2026, 3, 9), date(2026, 3, 10)) == []


def test_headers_sent(client, credentials) -> None:
    headers = client.session.headers
    assert headers["Authorization"] == credentials.api_key
    assert headers["Data-Client-ID"] == credentials.client_id
    assert headers["Content-Type"] == "application/json"
    assert headers["User-Agent"] == f"northbeam-desktop/{__version__}"
    assert client.session.verify is True


def test_per_order_400_maps_to_order_ids_and_paths(client, standin, order_payload) -> None:
    result = client.post_orders(body(order_payload(1), order_payload(2, bad=True)))
    assert result.status == 400
    assert [(e.order_id, e.index, e.path) for e in result.errors] == [
        ("ord-00002", 1, "products[0].price")
    ]
    assert standin.stored_orders() == {}  # the stand-in rejects the whole batch


@pytest.mark.parametrize("header", ["Authorization", "Data-Client-ID"])
def test_missing_header_is_auth_error(client, standin, order_payload, header, secret_key) -> None:
    del client.session.headers[header]
    with pytest.raises(AuthError) as info:
        client.post_orders(body(order_payload(1)))
    assert info.value.status == 401
    assert "did not accept the API key / Data Client ID" in str(info.value)
    assert secret_key not in str(info.value)
    assert standin.stored_orders() == {}


def test_wrong_key_or_client_id(standin, make_client, secret_key, credentials) -> None:
    for creds in (
        Credentials("nbk_live_wrong_key_0000000000000000", credentials.client_id),
        Credentials(secret_key, "wrong-client"),
    ):
        bad = make_client(standin.base_url, creds)
        check = bad.check_credentials()
        assert not check.ok and check.status == 401
        assert check.message.startswith(
            f"Northbeam did not accept the API key / Data Client ID for {bad.environment_name}"
        )
        assert secret_key not in check.message and creds.api_key not in check.message


def test_key_with_a_line_break_is_explained_without_echoing_it(standin, make_client) -> None:
    pasted = Credentials("nbk_live_pasted_with_newline_12345\n", "client")
    client = make_client(standin.base_url, pasted)
    with pytest.raises(AuthError) as info:
        client.post_orders(b"[]")
    assert "line break" in str(info.value)
    assert "nbk_live_pasted" not in str(info.value) and info.value.__cause__ is None
    assert not client.check_credentials().ok


def test_check_credentials_creates_nothing(client, standin) -> None:
    check = client.check_credentials()
    assert check.ok and check.status == 400
    assert "accepted" in check.message
    assert standin.stored_orders() == {}


def test_server_error_and_reset(client, standin, order_payload) -> None:
    standin.fail_next(1, status=503)
    with pytest.raises(ServerError) as info:
        client.post_orders(body(order_payload(1)))
    assert info.value.retryable and info.value.status == 503
    assert "HTTP 503" in str(info.value)

    standin.reset_next(1)
    with pytest.raises(NetworkError) as net:
        client.post_orders(body(order_payload(1)))
    assert net.value.retryable and "interrupted" in str(net.value)

    assert client.post_orders(body(order_payload(1))).ok  # the client recovers


def test_unreachable_host(make_client) -> None:
    with socket.socket() as sock:  # a port nobody listens on
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    client = make_client(f"http://127.0.0.1:{port}/v2", connect_timeout=2)
    with pytest.raises(NetworkError, match=r"Could not reach 127\.0\.0\.1"):
        client.post_orders(b"[]")
    check = client.check_credentials()
    assert not check.ok and "Could not reach" in check.message


def test_tls_failure_is_explained(standin, make_client) -> None:
    # Speaking TLS to a plain-HTTP server fails the handshake, like a broken certificate chain.
    url = standin.base_url.replace("http://", "https://")
    client = make_client(url, connect_timeout=5, read_timeout=5)
    with pytest.raises(TLSError) as info:
        client.post_orders(b"[]")
    assert not info.value.retryable
    assert "secure connection" in str(info.value)


def test_rate_limit_answer(make_client, credentials, order_payload) -> None:
    from devtools.standin import StandinServer

    one = body(order_payload(1))
    with StandinServer(
        api_key=credentials.api_key,
        client_id=credentials.client_id,
        budget_bytes=len(one) + 10,
        window_seconds=30,
    ) as nb:
        client = make_client(nb.base_url)
        assert client.post_orders(one).ok
        result = client.post_orders(one)
        assert result.status == 429
        assert result.retry_after is not None and 1 <= result.retry_after <= 30


def test_unknown_path_is_not_retried(standin, make_client) -> None:
    client = make_client(standin.base_url.replace("/v2", "/v9"))
    with pytest.raises(NorthbeamError) as info:
        client.post_orders(b"[]")
    assert not info.value.retryable and "HTTP 404" in str(info.value)


# -- a 2xx counts only with Northbeam's confirmation --------------------------------------------


def test_every_odd_answer_of_the_standin_is_named() -> None:
    from devtools.standin import ODD_ANSWERS

    assert set(ODD_WORDS) == set(ODD_ANSWERS)


@pytest.mark.parametrize("kind", sorted(ODD_WORDS))
def test_a_2xx_without_the_confirmation_is_not_accepted(
    client, standin, order_payload, kind
) -> None:
    standin.odd_answer_next(1, kind)
    with pytest.raises(UnconfirmedError) as info:
        client.post_orders(body(order_payload(1)))
    error = info.value
    assert error.retryable and 200 <= (error.status or 0) < 300
    assert (
        str(error)
        == f"{client.host} answered {ODD_WORDS[kind]}, so these orders were not counted as sent."
    )
    assert error.summary == f"{client.host} answered {ODD_WORDS[kind]}"
    assert "<" not in str(error) and "{" not in str(error)  # no markup, no JSON
    assert client.post_orders(body(order_payload(1))).ok  # the next real answer counts


@pytest.mark.parametrize(
    ("content_type", "content"),
    [
        ("application/json", b'{"message": "Orders succesfully upserted"}'),
        ("application/json; charset=utf-8", b'{"message": "Orders received"}'),
        ("application/json", b'{"status": "success"}'),
        ("application/json", b'{"status": "200", "response": "Orders succesfully upserted"}'),
        ("application/json", b'{"status": 200, "response": "[]"}'),
        ("Application/JSON", b"{}"),
        ("application/vnd.northbeam+json", b'{"ok": true}'),
        ("application/json", b' \n{"message": "ok"}\n'),
    ],
)
def test_what_counts_as_the_confirmation(content_type: str, content: bytes) -> None:
    assert confirmation_problem(content_type, content) is None


@pytest.mark.parametrize(
    ("content_type", "content", "words"),
    [
        ("application/json", b"<html><body>Log in</body></html>", "web page"),
        ("text/html", b'{"message": "ok"}', "web page"),
        ("application/json", b"  \r\n", "empty"),
        ("application/json", b'{"a": NaN}', "damaged"),
        ("application/json", b"\xff\xfe{}", "damaged"),
        ("application/json", b'"Orders succesfully upserted"', "something other"),
        ("application/json", b'{"status": "failed"}', "“status failed”"),
        ("application/json", b'{"status": "400", "response": "Bad Request"}', "“Bad Request”"),
        (
            "application/json",
            b'{"error": "rate_limit_error", "retry_after_seconds": 3}',
            "rate_limit",
        ),
        ("application/json", b'{"errors": [{"message": "x"}]}', "reports an error"),
        ("application/json", b'{"success": false, "message": "Quota exceeded"}', "Quota exceeded"),
        (
            "application/json",
            b'{"status": "error", "response": "{\\"code\\": 7}"}',
            "“status error”",
        ),
        ("application/xml", b"<ok/>", "web page"),
        ("application/octet-stream", b'{"message": "ok"}', "application/octet-stream"),
    ],
)
def test_what_does_not(content_type: str, content: bytes, words: str) -> None:
    problem = confirmation_problem(content_type, content)
    assert problem is not None and words in problem


def test_connection_check_through_a_wifi_sign_in_page(client, standin) -> None:
    standin.odd_answer_always = "html"
    check = client.check_credentials()
    assert not check.ok and check.status == 200
    assert check.message == (
        f"{client.host} answered with a web page instead of Northbeam's confirmation (a Wi-Fi "
        "sign-in page or a network filter may be in the way), so the connection could not be "
        "checked; check the address and the network."
    )
    with pytest.raises(NorthbeamError, match="something other than Northbeam's list of orders"):
        client.get_orders(date(2026, 3, 8), date(2026, 3, 8))
