"""`validate` as a shop owner and a script see it: the platform, the mapping used and why, the
counts per level and the problems, in words (text) and as a contract (JSON), on files shaped
like real exports; `--mapping` files that un-map a field with null."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from northbeam_desktop.cli.main import main as cli_main
from northbeam_desktop.cli.validate_facts import field_label, plural
from northbeam_desktop.cli.validate_json import issue_line_encoder
from northbeam_desktop.core.orders.issues import Issue, IssueCode, Severity
from tests.core import orderfiles, realshapes

CONTRACT_KEYS = {"file", "sheet", "rows", "orders", "valid_orders", "issues"}
ISSUE_KEYS = {"row", "column", "field", "order_id", "severity", "code", "message"}
# What a JSON path looks like: `products[0].price`, `mapping.customer_id`, dotted field keys
# (a template file's column “customer_shipping_address_zip” is a column name, not a path).
JSON_PATH = re.compile(
    r"\w\[\d*\*?\]|\bmapping\.\w|customer_shipping_address\.|alternate_order_ids\b|"
    r"\b(?:products|refunds)\.\w"
)


def validate(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str]:
    code = cli_main(["validate", *args, "--timezone", "UTC"])
    return code, capsys.readouterr().out


def validate_json(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, dict[str, Any]]:
    code, out = validate(capsys, *args, "--format", "json")
    return code, json.loads(out)


# ---- text ----------------------------------------------------------------------------------


def test_text_names_the_platform_and_the_mapping_with_reasons(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = realshapes.shopify_real_shape(tmp_path)
    code, out = validate(capsys, str(path))
    assert code == 1  # two orders have neither email nor phone
    lines = out.splitlines()
    assert lines[0] == f"{path}: 11 rows"
    assert lines[1] == "This looks like a Shopify orders export."
    assert "Columns used:" in lines
    # Grouped, each field ← its column and why.
    for group in ("  Order", "  Products", "  Shipping address", "  Made from other columns"):
        assert group in lines
    assert any(line.startswith("  Information columns") for line in lines)
    assert _line(lines, "Order total").endswith("← “Total”: column of a Shopify orders export.")
    assert "← “Lineitem price”: column of a Shopify orders export." in _line(lines, "Product price")
    assert "← “Refunded Amount”" in _line(lines, "Refunded amount (whole order)")
    assert "← made from the customer's email or phone." in _line(lines, "Customer ID")
    # Sections come in this order.
    order = [out.index(s) for s in ("This looks like", "Columns used:", "7 orders:", "Errors —")]
    assert order == sorted(order)


def _line(lines: list[str], label: str) -> str:
    return next(line for line in lines if line.startswith(f"    {label} "))


def test_text_counts_orders_per_level_and_lists_problems_by_level(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out = validate(capsys, str(orderfiles.template_defects(tmp_path)))
    assert code == 1
    assert "6 orders: 0 ready to upload, 6 with errors, 0 with warnings" in out
    errors = out.index("\nErrors — these orders cannot be sent until they are fixed:\n")
    assert "  Tax is empty — column “tax” — 1 order\n" in out
    assert "      row 4, order 1002: Tax is empty." in out
    warnings = out.find("\nWarnings —")
    assert warnings == -1 or warnings > errors


def test_text_counts_say_orders_in_the_singular_and_plural(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    one = orderfiles.write_csv(
        tmp_path / "one.csv", orderfiles.TEMPLATE_HEADER, [orderfiles.TEMPLATE_CLEAN[2]]
    )
    code, out = validate(capsys, str(one))
    assert code == 0
    assert "1 order: 1 ready to upload, 0 with errors, 0 with warnings" in out
    assert "No problems found." in out
    assert plural(1, "order") == "1 order" and plural(40_000, "order") == "40,000 orders"


def test_text_missing_required_fields_say_what_the_file_would_need(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out = validate(capsys, str(realshapes.shopify_trimmed(tmp_path)))
    assert code == 1
    assert "none can be uploaded until every required field has a column" in out
    assert (
        "Currency: no column of this file holds it, and Northbeam requires it. Shopify's full "
        "orders export has it in the Currency column" in " ".join(out.split())
    )
    # The four product fields share one remedy, said once.
    flat = " ".join(out.split())
    assert (
        "Product ID, Product name, Quantity, Product price: no column of this file holds them"
        in flat
    )
    assert flat.count("has the products (Lineitem columns)") == 1
    assert "Customer ID: no column of this file holds it" in flat
    assert "Required, but no column of this file holds it" in out


@pytest.mark.parametrize(
    "make",
    [
        realshapes.shopify_real_shape,
        realshapes.shopify_trimmed,
        realshapes.etsy_items,
        realshapes.etsy_orders,
        realshapes.woocommerce_rest,
        realshapes.amazon_orders,
        orderfiles.template_defects,
    ],
)
def test_text_never_prints_a_json_path(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], make: Any
) -> None:
    _code, out = validate(capsys, str(make(tmp_path)))
    found = JSON_PATH.findall(out)
    assert not found, found


def test_field_labels_come_from_paths_in_words() -> None:
    assert field_label("products[0].price") == "Product price"
    assert field_label("refunds[2].product_id") == "Refunded product ID"
    assert field_label("mapping.customer_id") == "Customer ID"
    assert field_label("customer_shipping_address.country_code") == "Shipping country"
    assert field_label("products[*].quantity") == "Quantity"


# ---- JSON ----------------------------------------------------------------------------------


def test_json_keeps_the_contract_and_adds_platform_mapping_and_counts(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = realshapes.shopify_real_shape(tmp_path)
    code, report = validate_json(capsys, str(path))
    assert code == 1
    assert set(report) >= CONTRACT_KEYS
    assert (report["file"], report["sheet"], report["rows"]) == (str(path), None, 11)
    assert report["orders"] == realshapes.SHOPIFY_ORDERS
    assert all(set(issue) == ISSUE_KEYS for issue in report["issues"])
    assert report["platform"] == {
        "key": "shopify",
        "name": "Shopify",
        "sentence": "This looks like a Shopify orders export.",
    }
    mapping = report["mapping"]
    assert mapping["purchase_total"] == {
        "label": "Order total",
        "column": "Total",
        "reason": "column of a Shopify orders export",
    }
    assert mapping["order_id"]["column"] == "Id"
    assert "Name" in mapping["order_id"]["reason"]  # Shopify's two order numbers explained
    assert mapping["refunded_total"]["column"] == "Refunded Amount"
    assert "column" not in mapping["customer_id"]
    assert mapping["customer_id"]["derived"] == "the customer's email or phone"
    # Every level is counted, notes included once core has them; the counts add up.
    assert set(report["counts"]) == {level.value for level in Severity}
    for level in Severity:
        listed = sum(1 for issue in report["issues"] if issue["severity"] == level.value)
        assert report["counts"][level.value] == listed
    assert set(report["orders_by_level"]) == {level.value for level in Severity}
    assert sum(report["orders_by_level"].values()) <= report["orders"]
    # #1006 has no email or phone (#1005's phone makes its customer code); #1003 is cancelled.
    assert report["orders_by_level"]["error"] == 1
    assert report["ready_orders"] == report["valid_orders"] == 5
    assert report["held_back_orders"] == 1
    assert report["missing_required"] == []


def test_json_missing_required_fields(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _code, report = validate_json(capsys, str(realshapes.etsy_orders(tmp_path)))
    missing = {item["field"]: item for item in report["missing_required"]}
    assert set(missing) >= {"products.id", "products.name", "products.quantity", "products.price"}
    assert "EtsySoldOrderItems" in missing["products.id"]["needs"]
    assert missing["products.id"]["candidates"] == []
    assert report["ready_orders"] == 0
    unmapped = [i for i in report["issues"] if i["code"] == "unmapped_required_field"]
    assert {i["field"].removeprefix("mapping.") for i in unmapped} == set(missing)


def test_json_issues_equal_the_contract_shape_one_per_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from northbeam_desktop.core.orders.document import LoadOptions, load_document

    path = orderfiles.template_defects(tmp_path)
    _code, out = validate(capsys, str(path), "--format", "json")
    doc = load_document(path, LoadOptions(timezone="UTC"))
    assert json.loads(out)["issues"] == [issue.to_json() for issue in doc.all_issues()]
    issue_lines = [line for line in out.splitlines() if line.startswith('    {"row": ')]
    assert len(issue_lines) == len(doc.all_issues())


def test_issue_line_is_exactly_to_json_for_any_text() -> None:
    line = issue_line_encoder()
    odd = 'quote " backslash \\ newline \n tab \t nul \x00 bell \x07 “curly” \u2028 é 😀'
    samples = [
        Issue(IssueCode.REQUIRED, Severity.ERROR, "Tax is empty.", "tax", 4, "tax", "1002"),
        Issue(IssueCode.UNMAPPED_REQUIRED_FIELD, Severity.ERROR, odd, "mapping.currency"),
        Issue(
            IssueCode.VALUE_CONVERTED, Severity.WARNING, odd, "products[3].price", 10**9, odd, odd
        ),
    ]
    samples += [Issue(IssueCode.BLANK, level, "m", "tax", 2) for level in Severity]
    for issue in samples:
        text = line(issue)
        assert "\n" not in text
        assert json.loads(text) == issue.to_json()
        assert list(json.loads(text)) == list(issue.to_json())  # same key order


def test_json_of_a_clean_file_has_an_empty_issue_list(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, report = validate_json(capsys, str(orderfiles.template_clean(tmp_path)))
    assert code == 0
    assert report["issues"] == [] and report["ready_orders"] == 2
    assert report["platform"]["key"] == "northbeam"
    assert all(value == 0 for value in report["counts"].values())


# ---- --mapping with null -------------------------------------------------------------------


def _preset(tmp_path: Path, fields: dict[str, str | None]) -> Path:
    path = tmp_path / "mapping.json"
    path.write_text(json.dumps({"version": 1, "fields": fields}), encoding="utf-8")
    return path


def test_mapping_file_can_unmap_a_field_with_null(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = realshapes.shopify_real_shape(tmp_path)
    _code, before = validate_json(capsys, str(path))
    assert "refunded_total" in before["mapping"] and "duties" in before["mapping"]
    preset = _preset(tmp_path, {"refunded_total": None, "duties": None})
    _code, after = validate_json(capsys, str(path), "--mapping", str(preset))
    assert "refunded_total" not in after["mapping"] and "duties" not in after["mapping"]
    assert after["mapping"]["purchase_total"]["column"] == "Total"  # the rest auto-mapped
    assert not any(issue["column"] in ("Refunded Amount", "Duties") for issue in after["issues"])
    _code, text = validate(capsys, str(path), "--mapping", str(preset))
    assert "“Refunded Amount”" not in text and "“Duties”" not in text


def test_unmapping_a_column_removes_its_problems(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = orderfiles.template_defects(tmp_path)  # order 1006's currency “$” is ambiguous
    preset = _preset(tmp_path, {"order_tags": None, "discount_codes": None})
    _code, kept = validate_json(capsys, str(path), "--mapping", str(preset))
    assert "order_tags" not in kept["mapping"]
    assert any(issue["column"] == "currency" for issue in kept["issues"])
    preset = _preset(tmp_path, {"products.quantity": None})
    code, report = validate_json(capsys, str(path), "--mapping", str(preset))
    assert code == 1
    assert "products.quantity" not in report["mapping"]
    assert [m["field"] for m in report["missing_required"]] == ["products.quantity"]
    assert not any(issue["code"] == "negative_number" for issue in report["issues"])


def test_subprocess_validate_text_with_a_null_mapping(tmp_path: Path) -> None:
    path = realshapes.shopify_real_shape(tmp_path)
    preset = _preset(tmp_path, {"customer_phone_number": None})
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "northbeam_desktop",
            "validate",
            str(path),
            "--mapping",
            str(preset),
            "--timezone",
            "UTC",
        ],
        capture_output=True,
        text=True,
        timeout=120,
        stdin=subprocess.DEVNULL,
    )
    assert result.returncode == 1, result.stderr
    assert result.stderr == ""
    lines = result.stdout.splitlines()
    assert lines[1] == "This looks like a Shopify orders export."
    assert not any(line.startswith("    Customer phone ") for line in lines)
    assert _line(lines, "Order total").endswith("← “Total”: column of a Shopify orders export.")
    assert re.search(r"^7 orders: \d+ ready to upload, 2 with errors", result.stdout, re.M)


def test_the_readme_mapping_example_does_what_it_says(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    examples = re.findall(r"`(\{\"version\": 1, \"fields\": \{[^`]*\}\})`", readme)
    unmapping = [example for example in examples if "null" in example]
    assert unmapping, "README's CLI section shows a --mapping example with null"
    preset = tmp_path / "example.json"
    preset.write_text(" ".join(unmapping[0].split()), encoding="utf-8")
    path = realshapes.shopify_real_shape(tmp_path)
    _code, report = validate_json(capsys, str(path), "--mapping", str(preset))
    assert "refunded_total" not in report["mapping"]
    assert report["mapping"]["order_id"]["column"] == "Name"
    assert report["mapping"]["order_id"]["reason"] == "from your saved mapping"


# ---- cancelled orders ----------------------------------------------------------------------


def test_cancelled_orders_are_counted_apart_and_can_be_included(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = realshapes.shopify_real_shape(tmp_path)  # #1003 was cancelled in the shop
    _code, out = validate(capsys, str(path))
    assert "7 orders: 5 ready to upload, 1 with errors, " in out
    assert ", 1 cancelled in your shop (not sent)" in " ".join(out.split())
    _code, report = validate_json(capsys, str(path), "--include-cancelled")
    assert (report["ready_orders"], report["held_back_orders"]) == (6, 0)
    _code, out = validate(capsys, str(path), "--include-cancelled")
    assert "cancelled in your shop (not sent)" not in " ".join(out.split())


def test_values_changed_for_you_are_counted_as_values_not_orders(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = realshapes.shopify_real_shape(tmp_path)
    _code, report = validate_json(capsys, str(path))
    changed = [i for i in report["issues"] if i["code"] == "value_converted"]
    assert changed and all(i["severity"] == "note" and i["order_id"] is None for i in changed)
    _code, out = validate(capsys, str(path))
    notes = out[out.index("\nNotes — changed for you, nothing to do:\n") :]
    country = next(line for line in notes.splitlines() if "“Shipping Country”" in line)
    values = len({i["message"] for i in changed if i["column"] == "Shipping Country"})
    assert country.endswith(f"— {plural(values, 'value')}")
