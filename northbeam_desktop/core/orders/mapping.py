"""Which spreadsheet column holds which Northbeam field.

`auto_map(headers)` maps columns with no user action: Northbeam's own API names and SFTP template
names (`products_id`, also singular `product_id`), the columns of the shop platform the file comes
from (core/orders/platforms.py), common synonyms, and names whose words say the field, comparing
names without regard to case, spaces, punctuation or camelCase (core/orders/headers.py). It
never guesses: a column that could be two things is suggested, not matched. Every automatic match
carries its reason, which the mapping dialog and `validate --format text` show. Mappings are saved
and loaded as JSON presets (a field set to null is left unmapped), and a preset is found again for
the next file with the same columns, together with the time zone its times were written in when the
file's times do not say it (`PresetStore.timezone_for`).
"""

from __future__ import annotations

import difflib
import hashlib
import json
import os
from collections.abc import Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import Any

from northbeam_desktop.core.files.atomic import write_bytes_atomically
from northbeam_desktop.core.orders.fields import (
    ALL_FIELDS,
    DERIVED_CUSTOMER_ID,
    FIELDS,
    FIELDS_BY_KEY,
    FieldSpec,
    Level,
)
from northbeam_desktop.core.orders.headers import header_words, normalize_header
from northbeam_desktop.core.orders.packed import PackedProducts, find_packed_products
from northbeam_desktop.core.orders.platforms import (
    PLATFORMS_BY_KEY,
    DerivedField,
    Platform,
    detect_platform,
)
from northbeam_desktop.core.orders.sheet import CellValue

PRESET_VERSION = 1


class MatchReason(StrEnum):
    EXACT = "exact"  # Northbeam's API or template name
    KNOWN_EXPORT = "known_export"  # a column of a recognised shop export (platforms.py)
    SYNONYM = "synonym"  # a common name for the same thing
    WORDS = "words"  # the column's words say it (e.g. "Order Total (USD)")
    DERIVED = "derived"  # made from other columns (customer ID from email)
    PRESET = "preset"  # from a saved mapping
    USER = "user"  # chosen by hand


REASON_TEXT = {
    MatchReason.EXACT: "Northbeam's own column name",
    MatchReason.KNOWN_EXPORT: "a known column of this kind of export",
    MatchReason.SYNONYM: "common name for this field",
    MatchReason.WORDS: "the column's name says so",
    MatchReason.DERIVED: "made from the customer's email or phone",
    MatchReason.PRESET: "from your saved mapping",
    MatchReason.USER: "chosen by you",
}

DERIVED_CUSTOMER_NOTE = (
    "Your file has no customer ID column, so each customer gets a stable code made from their "
    "email address, or from their phone number when an order has no email (the same email "
    "always gives the same code, and the email cannot be read back from it)."
)


@dataclass(frozen=True, slots=True)
class FieldMatch:
    field_key: str
    column: str  # header text exactly as in the file, or DERIVED_CUSTOMER_ID
    reason: MatchReason
    note: str = ""  # extra explanation, e.g. Shopify's Name vs Id

    @property
    def explanation(self) -> str:
        base = REASON_TEXT[self.reason]
        return f"{base}. {self.note}" if self.note else base


@dataclass(slots=True)
class Mapping:
    """Field key → the column it comes from. At most one column per field and vice versa.

    `derived` holds the fields this kind of file does not have as one column but that follow
    from others (Etsy's items file: the order total from its parts); a field is either matched
    or derived, never both.
    """

    matches: dict[str, FieldMatch] = field(default_factory=dict)
    source: str = "generic"  # the platform key (platforms.py), or "generic"
    derived: dict[str, DerivedField] = field(default_factory=dict)
    # The platform's order-number column (Shopify's Name), kept to group rows again when the
    # user goes back from Name to Id as the order ID.
    order_number_column: str | None = None
    # Columns that pack several products into one row (core/orders/packed.py), never mapped.
    packed: PackedProducts | None = None

    @property
    def platform(self) -> Platform | None:
        return PLATFORMS_BY_KEY.get(self.source)

    def column_for(self, field_key: str) -> str | None:
        match = self.matches.get(field_key)
        return match.column if match else None

    def field_for(self, column: str) -> str | None:
        for key, match in self.matches.items():
            if match.column == column:
                return key
        return None

    def group_column(self) -> str | None:
        """The column that keeps an order's rows together: the order number when the file
        has one besides the order ID (Shopify's Name), else the order ID's column."""
        return self.column_for("order_number") or self.column_for("order_id")

    def set(
        self, field_key: str, column: str | None, reason: MatchReason = MatchReason.USER
    ) -> None:
        """Point a field at a column (None clears it); a column serves one field only."""
        if field_key not in FIELDS_BY_KEY:
            raise KeyError(field_key)
        self.derived.pop(field_key, None)
        if column is not None:
            for key in [k for k, m in self.matches.items() if m.column == column]:
                del self.matches[key]
            self.matches[field_key] = FieldMatch(field_key, column, reason)
        else:
            self.matches.pop(field_key, None)
        number = self.order_number_column
        if (
            field_key == "order_id"
            and number is not None
            and column != number
            and "order_number" not in self.matches
        ):
            self.matches["order_number"] = FieldMatch(
                "order_number", number, MatchReason.KNOWN_EXPORT
            )

    def missing_required(self) -> list[FieldSpec]:
        """Required order and product fields that no column holds (nor derives). A file with
        product names but no product IDs is not missing them: each line's name is sent as its
        ID, as for a line whose ID cell is blank (with a note on the line)."""
        named = "products.name" in self.matches or "products.name" in self.derived
        return [
            spec
            for spec in FIELDS
            if spec.required
            and spec.level in (Level.ORDER, Level.PRODUCT)
            and spec.key not in self.matches
            and spec.key not in self.derived
            and not (named and spec.key == "products.id")
        ]

    def has_product_lines(self) -> bool:
        """Whether the file names its products (then a missing quantity is a missing column,
        not missing product lines)."""
        return any(
            key in self.matches or key in self.derived for key in ("products.id", "products.name")
        )

    def needs(self, field_key: str) -> str | None:
        """What this kind of file would need for a field none of its columns holds, when its
        platform knows or the file packs its products into one row (else None)."""
        platform = self.platform
        own = (
            platform.needs(field_key, has_products=self.has_product_lines())
            if platform is not None
            else None
        )
        packed = self.packed
        if (
            packed is not None
            and field_key.startswith("products.")
            and not (own and any(column in own for column in packed.columns))
        ):
            return packed.sentence  # unless the platform's own words already name the column
        return own

    def reason_text(self, match: FieldMatch) -> str:
        """Why a column was chosen, naming the platform for a known export's column."""
        platform = self.platform
        if match.reason is MatchReason.KNOWN_EXPORT and platform is not None:
            return f"column of {platform.export}"
        return REASON_TEXT[match.reason]

    def describe(self, field_key: str) -> str | None:
        """Where a field comes from and why, in words ("“Total”: a column of Shopify's…")."""
        match = self.matches.get(field_key)
        if match is not None:
            if match.column == DERIVED_CUSTOMER_ID:
                return f"made from the customer's email or phone ({match.explanation})"
            reason = self.reason_text(match)
            note = f" {match.note}" if match.note else ""
            return f"“{match.column}”: {reason}.{note}"
        derived = self.derived.get(field_key)
        if derived is not None:
            return f"made from {derived.explanation}"
        return None

    def to_preset(
        self, headers: Sequence[str] | None = None, timezone: str | None = None
    ) -> dict[str, Any]:
        fields: dict[str, str | None] = {key: match.column for key, match in self.matches.items()}
        data: dict[str, Any] = {"version": PRESET_VERSION, "fields": fields}
        if headers is not None:
            # A field the user cleared although the file has a likely column stays cleared.
            for key in auto_map(headers).matches:
                fields.setdefault(key, None)
            data["signature"] = header_signature(headers)
        if timezone:
            data["timezone"] = timezone
        return data

    def copy(self) -> Mapping:
        return Mapping(
            dict(self.matches),
            self.source,
            dict(self.derived),
            self.order_number_column,
            self.packed,
        )


def _exact_names(spec: FieldSpec) -> set[str]:
    names = {spec.key, spec.template_column, spec.key.replace(".", "_")}
    if spec.level is Level.PRODUCT:
        names |= {f"product_{spec.name}", f"products.{spec.name}", f"product.{spec.name}"}
    elif spec.level is Level.REFUND:
        names |= {f"refund_{spec.name}", f"refunds.{spec.name}"}
    elif spec.level is Level.ADDRESS:
        names |= {f"shipping_address_{spec.name}", f"shipping_{spec.name}"}
    elif spec.level is Level.ALTERNATE_ID:
        names |= {f"alternate_order_id_{spec.name}"}
    return {normalize_header(name) for name in names}


# The order number that groups rows is only ever taken from a recognised platform: in other
# files a column called "Order Number" is the order ID itself.
_EXACT = {
    spec.key: _exact_names(spec) if spec.key != "order_number" else set() for spec in ALL_FIELDS
}
# Synonyms in order of preference: with "Order Value" and "Order Total" both in a file, the
# total is the better synonym of the order total, whichever comes first in the file.
_SYNONYMS = {spec.key: [normalize_header(s) for s in spec.synonyms] for spec in ALL_FIELDS}
_SYNONYM_WORDS = {
    spec.key: [
        frozenset(header_words(s))
        for s in (*spec.synonyms, spec.key.replace(".", " "), spec.template_column)
    ]
    for spec in ALL_FIELDS
}
# Words that add nothing to a column's meaning ("Order Total (USD)", "Tax amount in EUR"):
# every field here is about the order, so "order" says nothing either.
_FILLER_WORDS = frozenset(
    {"amount", "in", "the", "of", "value", "incl", "inc", "including", "order", "orders"}
    | {code.lower() for code in ("usd", "eur", "gbp", "cad", "aud", "chf", "inr", "jpy")}
)
# "Item Qty", "Line item price", "Product SKU": the product is what every product field is about.
_PRODUCT_FILLER_WORDS = frozenset({"item", "items", "line", "lineitem", "product", "products"})
# Words that make a column something else than the field, whatever else it says: a column
# named "Order Subtotal" or "Total before tax" is never the order total.
_NEVER_WORDS: dict[str, frozenset[str]] = {
    "purchase_total": frozenset(
        {"sub", "subtotal", "net", "before", "excl", "ex", "items", "item", "line", "refund"}
        | {"refunded", "discount", "tax", "shipping", "quantity", "qty", "fee", "fees"}
    ),
    "tax": frozenset({"rate", "percent", "name", "number", "id", "code", "class", "status"}),
    "shipping_cost": frozenset({"method", "name", "address", "zip", "city", "country", "date"}),
    "order_id": frozenset({"item", "line", "product", "customer", "transaction"}),
    "customer_id": frozenset({"order", "item", "items", "quantity", "qty", "count"}),
}


_PRODUCT_FIELDS = frozenset(spec.key for spec in ALL_FIELDS if spec.level is Level.PRODUCT)


def auto_map(headers: Sequence[str], rows: Sequence[Sequence[CellValue]] | None = None) -> Mapping:
    """Map every column we recognise, best evidence first, each column used once.

    Tiers: Northbeam's own names; the columns of the recognised platform (platforms.py);
    synonyms, the preferred one first; then column names whose words say the field. `rows`
    (optional) lets a platform pick, among several candidate columns, the one most filled.
    """
    normalized = [normalize_header(h) for h in headers]
    platform = detect_platform(headers)
    mapping = Mapping(source=platform.key if platform is not None else "generic")
    used: set[int] = set()

    def take(spec: FieldSpec, index: int, reason: MatchReason, note: str = "") -> None:
        used.add(index)
        mapping.matches[spec.key] = FieldMatch(spec.key, headers[index], reason, note)

    never = platform.never if platform is not None else frozenset()
    mapping.packed = find_packed_products(headers, rows)
    if mapping.packed is not None:
        packed_columns = set(mapping.packed.columns)
        used.update(i for i, header in enumerate(headers) if header in packed_columns)
        # The products are in the packed columns: any other column is about the order
        # (WooCommerce's item_count is no line's quantity).
        never = never | _PRODUCT_FIELDS
    if platform is not None:
        _map_platform_columns(platform, headers, normalized, rows, mapping, used, take)
        # A column the platform knows means what the platform says: never another field by
        # its words (WooCommerce's order_number is not a product number).
        known = {normalize_header(name) for names in platform.columns.values() for name in names}
        used.update(i for i, norm in enumerate(normalized) if norm in known)
    for spec in ALL_FIELDS:
        if spec.key in mapping.matches or spec.key in mapping.derived or spec.key in never:
            continue
        for index, norm in enumerate(normalized):
            if index not in used and norm in _EXACT[spec.key]:
                take(spec, index, MatchReason.EXACT)
                break
    for spec in ALL_FIELDS:
        if spec.key in mapping.matches or spec.key in mapping.derived or spec.key in never:
            continue
        synonym = _best_synonym(spec, normalized, used)
        if synonym is not None:
            take(spec, synonym, MatchReason.SYNONYM)
    for spec in ALL_FIELDS:
        if (
            spec.key in mapping.matches
            or spec.key in mapping.derived
            or spec.key in never
            or spec.level is Level.INFO
        ):
            continue
        by_words = _by_words(spec, headers, used)
        if by_words is not None:
            take(spec, by_words, MatchReason.WORDS, f"Its words match {spec.label.lower()}.")
    _keep_refunds_only_with_products(mapping)
    _one_address(mapping)
    if mapping.column_for("order_number") == mapping.column_for("order_id"):
        mapping.matches.pop("order_number", None)
    if "customer_id" not in mapping.matches and (
        "customer_email" in mapping.matches
        or "hashed_customer_email" in mapping.matches
        or "customer_phone_number" in mapping.matches
        or "customer_phone_number" in mapping.derived
    ):
        mapping.matches["customer_id"] = FieldMatch(
            "customer_id", DERIVED_CUSTOMER_ID, MatchReason.DERIVED, DERIVED_CUSTOMER_NOTE
        )
    return mapping


def _map_platform_columns(
    platform: Platform,
    headers: Sequence[str],
    normalized: list[str],
    rows: Sequence[Sequence[CellValue]] | None,
    mapping: Mapping,
    used: set[int],
    take: Any,
) -> None:
    position = {norm: i for i, norm in reversed(list(enumerate(normalized)))}
    for spec in ALL_FIELDS:
        if spec.key in mapping.matches:
            continue
        candidates = [
            position[normalize_header(name)]
            for name in platform.columns.get(spec.key, ())
            if normalize_header(name) in position and position[normalize_header(name)] not in used
        ]
        if not candidates:
            continue
        index = candidates[0]
        if spec.key in platform.prefer_filled and rows and len(candidates) > 1:
            index = max(candidates, key=lambda i: (_filled(rows, i), -candidates.index(i)))
        take(spec, index, MatchReason.KNOWN_EXPORT, platform.notes.get(spec.key, ""))
    for derived in platform.derived:
        if derived.field_key in mapping.matches:
            continue
        present = [c for c in derived.columns if normalize_header(c) in position]
        if derived.columns and not present:
            continue
        used.update(position[normalize_header(c)] for c in present)
        mapping.derived[derived.field_key] = DerivedField(
            derived.field_key,
            derived.how,
            tuple(headers[position[normalize_header(c)]] for c in present),
            derived.explanation,
        )
    number = next(
        (
            position[normalize_header(n)]
            for n in platform.order_number
            if normalize_header(n) in position
        ),
        None,
    )
    if number is not None and "order_number" not in mapping.matches:
        mapping.order_number_column = headers[number]
        mapping.matches["order_number"] = FieldMatch(
            "order_number", headers[number], MatchReason.KNOWN_EXPORT
        )


_SHIPPING_WORDS = frozenset({"shipping", "ship", "delivery"})
_BILLING_WORDS = frozenset({"billing", "bill"})


def _one_address(mapping: Mapping) -> None:
    """An address is one place: when some of its parts come from shipping columns, parts
    from billing columns are left out (a WooCommerce export with shipping city and country
    but only a billing street would send the buyer's street in the recipient's town)."""
    sides = {
        key: frozenset(header_words(match.column))
        for key, match in mapping.matches.items()
        if FIELDS_BY_KEY[key].level is Level.ADDRESS
    }
    if any(words & _SHIPPING_WORDS for words in sides.values()):
        for key, words in sides.items():
            if words & _BILLING_WORDS and not words & _SHIPPING_WORDS:
                del mapping.matches[key]


def _keep_refunds_only_with_products(mapping: Mapping) -> None:
    """A refund line needs the refunded product: a lone "Refunded" column is the order's
    refunded total (Shopify's Refunded Amount, Magento's Refunded), never a refund line."""
    if "refunds.product_id" in mapping.matches:
        return
    refund_keys = [key for key in mapping.matches if key.startswith("refunds.")]
    amount = mapping.matches.get("refunds.refund_amount")
    for key in refund_keys:
        del mapping.matches[key]
    if amount is not None and "refunded_total" not in mapping.matches:
        mapping.matches["refunded_total"] = FieldMatch(
            "refunded_total", amount.column, amount.reason, amount.note
        )


# Enough rows to tell which of two phone columns a shop fills, without reading a huge file.
_FILL_SAMPLE_ROWS = 5_000


def _filled(rows: Sequence[Sequence[CellValue]], index: int) -> int:
    return sum(
        1
        for row in rows[:_FILL_SAMPLE_ROWS]
        if index < len(row) and row[index] is not None and str(row[index]).strip()
    )


def _best_synonym(spec: FieldSpec, normalized: list[str], used: set[int]) -> int | None:
    free = {norm: i for i, norm in reversed(list(enumerate(normalized))) if i not in used}
    for synonym in _SYNONYMS[spec.key]:
        if synonym in free:
            return free[synonym]
    return None


def _by_words(spec: FieldSpec, headers: Sequence[str], used: set[int]) -> int | None:
    """A column whose words, without filler words, are exactly a synonym's words, and that
    has none of the words that make it something else. Only an unambiguous match counts."""
    never = _NEVER_WORDS.get(spec.key, frozenset())
    filler = _FILLER_WORDS | (_PRODUCT_FILLER_WORDS if spec.level is Level.PRODUCT else set())
    wanted = [words - filler for words in _SYNONYM_WORDS[spec.key]]
    found: list[int] = []
    for index, header in enumerate(headers):
        if index in used:
            continue
        words = frozenset(header_words(header))
        if not words or words & never:
            continue
        meaning = words - filler
        if meaning and any(meaning == want for want in wanted):
            found.append(index)
    return found[0] if len(found) == 1 else None


def shopify_order_id_choices(headers: Sequence[str]) -> list[str]:
    """The Shopify columns that can serve as order_id ("Id", "Name") present in this file."""
    by_norm = {normalize_header(h): h for h in headers}
    return [by_norm[n] for n in ("id", "name") if n in by_norm]


@dataclass(frozen=True, slots=True)
class ColumnHint:
    """A column that may hold a field, and why it is suggested."""

    column: str
    evidence: str


def suggest_columns(
    spec: FieldSpec, headers: Sequence[str], mapping: Mapping, limit: int = 3
) -> list[str]:
    """Unmapped columns whose names look most like the field, for 'which column holds it?'."""
    return [hint.column for hint in column_hints(spec, headers, mapping, limit)]


# Comparing every header with every name costs ~1 ms per column: a file with thousands of
# columns is not a file a person names columns in, so only the first ones are looked at.
_HINT_MAX_HEADERS = 500


def column_hints(
    spec: FieldSpec, headers: Sequence[str], mapping: Mapping, limit: int = 3
) -> list[ColumnHint]:
    """Ranked suggestions with their evidence ("its name contains “total”")."""
    mapped = {m.column for m in mapping.matches.values()}
    names = set(_EXACT[spec.key]) | set(_SYNONYMS[spec.key]) | {normalize_header(spec.label)}
    never = _NEVER_WORDS.get(spec.key, frozenset())
    scored: list[tuple[float, int, ColumnHint]] = []
    for position, header in enumerate(headers[:_HINT_MAX_HEADERS]):
        if header in mapped:
            continue
        norm = normalize_header(header)
        if not norm or frozenset(header_words(header)) & never:
            continue
        best, closest = max(
            (difflib.SequenceMatcher(None, norm, name).ratio(), name) for name in names
        )
        evidence = "its name is close to “" + closest + "”"
        contained = [name for name in names if len(name) >= 3 and (name in norm or norm in name)]
        if contained and best < 0.75:
            best = 0.75
            evidence = "its name contains “" + max(contained, key=len) + "”"
        if best >= 0.6:
            scored.append((best, position, ColumnHint(header, evidence)))
    scored.sort(key=lambda item: (-item[0], item[1]))
    return [hint for _, _, hint in scored[:limit]]


def mapping_from_preset(
    data: dict[str, Any],
    headers: Sequence[str],
    rows: Sequence[Sequence[CellValue]] | None = None,
) -> tuple[Mapping, list[str]]:
    """Apply a saved preset to a file: returns the mapping and notes about columns not found.

    Fields the preset does not name are auto-mapped as usual, so a preset never makes a file
    worse than no preset; a field the preset sets to null is left without a column.
    """
    if not isinstance(data, dict) or not isinstance(data.get("fields"), dict):
        raise ValueError("This mapping file is not a Northbeam Desktop mapping preset.")
    mapping = auto_map(headers, rows)
    notes: list[str] = []
    header_set = set(headers)
    for key, column in data["fields"].items():
        if key not in FIELDS_BY_KEY:
            notes.append(f"The saved mapping names an unknown field “{key}”; it was ignored.")
            continue
        if column is None:
            mapping.set(key, None)  # the user chose "not in my file"
            if key == "order_id":
                mapping.matches.pop("order_number", None)
        elif column == DERIVED_CUSTOMER_ID:
            mapping.derived.pop(key, None)
            mapping.matches[key] = FieldMatch(
                key, column, MatchReason.PRESET, DERIVED_CUSTOMER_NOTE
            )
        elif not isinstance(column, str):
            notes.append(
                f"The saved mapping gives {FIELDS_BY_KEY[key].label} as “{column}”, which is "
                "not a column name; it was ignored."
            )
        elif column in header_set:
            mapping.set(key, column, MatchReason.PRESET)
        else:
            notes.append(
                f"The saved mapping takes {FIELDS_BY_KEY[key].label} from a column “{column}”, "
                "which this file does not have."
            )
    return mapping, notes


def load_preset(path: str | os.PathLike[str]) -> dict[str, Any]:
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ValueError(f"The mapping file {path} does not exist.") from None
    except (OSError, UnicodeDecodeError, json.JSONDecodeError):
        raise ValueError(
            f"The mapping file {path} could not be read as a mapping preset."
        ) from None
    if not isinstance(data, dict) or not isinstance(data.get("fields"), dict):
        raise ValueError(f"The file {path} is not a Northbeam Desktop mapping preset.")
    return data


def preset_timezone(data: dict[str, Any]) -> str | None:
    """The time zone a preset remembers for times written without one (None: not asked yet)."""
    zone = data.get("timezone") if isinstance(data, dict) else None
    return zone if isinstance(zone, str) and zone.strip() else None


def preset_include_cancelled(data: dict[str, Any] | None) -> bool | None:
    """Whether the user chose to send cancelled orders for files of this shape (None: never
    chosen, the default of not sending them applies)."""
    choice = data.get("include_cancelled") if isinstance(data, dict) else None
    return choice if isinstance(choice, bool) else None


def preset_has_fields(data: dict[str, Any]) -> bool:
    """False for a preset that only remembers a time zone (the columns are mapped as usual)."""
    return isinstance(data, dict) and bool(data.get("fields"))


def save_preset(
    path: str | os.PathLike[str],
    mapping: Mapping,
    headers: Sequence[str] | None = None,
    timezone: str | None = None,
) -> None:
    _write_json(Path(path), mapping.to_preset(headers, timezone))


def _write_json(target: Path, data: dict[str, Any]) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    text = json.dumps(data, indent=2)
    write_bytes_atomically(target, text.encode("utf-8"), private=True)


# Columns our own "export problems" adds; a re-opened export is the same shape as its source.
_EXPORT_COLUMNS = {normalize_header("Problems"), normalize_header("Excel row")}


def header_signature(headers: Sequence[str]) -> str:
    """Identifies files 'of the same shape' (same set of column names), to reuse a preset."""
    names = {normalize_header(h) for h in headers if h} - _EXPORT_COLUMNS
    joined = "\n".join(sorted(names))
    return hashlib.sha256(joined.encode("utf-8")).hexdigest()[:16]


class PresetStore:
    """Presets remembered per file shape in a folder (the app's config dir)."""

    def __init__(self, folder: str | os.PathLike[str]) -> None:
        self.folder = Path(folder)

    def _path(self, headers: Sequence[str]) -> Path:
        return self.folder / f"mapping-{header_signature(headers)}.json"

    def remember(
        self, mapping: Mapping, headers: Sequence[str], timezone: str | None = None
    ) -> Path:
        """Keep `mapping` for files with these columns (and the time zone, when given; else
        the one already remembered stays)."""
        path = self._path(headers)
        known = self.find(headers)
        if timezone is None:
            timezone = preset_timezone(known) if known is not None else None
        data = mapping.to_preset(headers, timezone)
        include = preset_include_cancelled(known)
        if include is not None:
            data["include_cancelled"] = include  # a choice of its own, kept with the columns
        _write_json(path, data)
        return path

    def remember_include_cancelled(self, headers: Sequence[str], include: bool) -> Path:
        """Keep whether cancelled orders are sent for files with these columns (Upload → Send
        Cancelled Orders), leaving the mapping and time zone as they are."""
        path = self._path(headers)
        data = self.find(headers) or {
            "version": PRESET_VERSION,
            "fields": {},
            "signature": header_signature(headers),
        }
        data["include_cancelled"] = include
        _write_json(path, data)
        return path

    def include_cancelled_for(self, headers: Sequence[str]) -> bool | None:
        """Whether cancelled orders are sent for files with these columns (None: not chosen)."""
        return preset_include_cancelled(self.find(headers))

    def remember_timezone(self, headers: Sequence[str], timezone: str) -> Path:
        """Keep the time zone of files with these columns, leaving their mapping as it is (a
        file without a saved mapping gets a preset that holds only the zone)."""
        path = self._path(headers)
        data = self.find(headers) or {
            "version": PRESET_VERSION,
            "fields": {},
            "signature": header_signature(headers),
        }
        data["timezone"] = timezone
        _write_json(path, data)
        return path

    def timezone_for(self, headers: Sequence[str]) -> str | None:
        """The time zone remembered for files with these columns, or None."""
        data = self.find(headers)
        return preset_timezone(data) if data is not None else None

    def find(self, headers: Sequence[str]) -> dict[str, Any] | None:
        path = self._path(headers)
        if not path.exists():
            return None
        try:
            return load_preset(path)
        except ValueError:
            return None
