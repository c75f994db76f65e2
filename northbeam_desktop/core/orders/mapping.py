"""Which spreadsheet column holds which Northbeam field.

`auto_map(headers)` maps columns with no user action: Northbeam's own API names and SFTP template
names (`products_id`, also singular `product_id`), Shopify's standard orders export, and common
synonyms, comparing names without regard to case, spaces or punctuation. Every automatic match
carries its reason, which the mapping dialog shows. Mappings are saved and loaded as JSON presets,
and a preset is found again for the next file with the same columns, together with the time
zone its times were written in when the file's times do not say it (`PresetStore.timezone_for`).
"""

from __future__ import annotations

import difflib
import hashlib
import json
import os
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import Any

from northbeam_desktop.core.files.atomic import write_bytes_atomically
from northbeam_desktop.core.orders.fields import (
    DERIVED_CUSTOMER_ID,
    FIELDS,
    FIELDS_BY_KEY,
    FieldSpec,
    Level,
)

PRESET_VERSION = 1


class MatchReason(StrEnum):
    EXACT = "exact"  # Northbeam's API or template name
    KNOWN_EXPORT = "known_export"  # a column of a known export (Shopify)
    SYNONYM = "synonym"  # a common name for the same thing
    DERIVED = "derived"  # made from other columns (customer ID from email)
    PRESET = "preset"  # from a saved mapping
    USER = "user"  # chosen by hand


REASON_TEXT = {
    MatchReason.EXACT: "Northbeam's own column name",
    MatchReason.KNOWN_EXPORT: "Shopify orders export column",
    MatchReason.SYNONYM: "common name for this field",
    MatchReason.DERIVED: "made from the customer's email",
    MatchReason.PRESET: "from your saved mapping",
    MatchReason.USER: "chosen by you",
}


def normalize_header(text: str) -> str:
    """Compare names without case, spaces or punctuation: 'Order #' == 'order_number'."""
    text = text.casefold().replace("#", " number ").replace("&", " and ")
    return re.sub(r"[^0-9a-z]+", "", text)


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
    """Field key → the column it comes from. At most one column per field and vice versa."""

    matches: dict[str, FieldMatch] = field(default_factory=dict)
    source: str = "generic"  # "northbeam", "shopify" or "generic": what the file looks like

    def column_for(self, field_key: str) -> str | None:
        match = self.matches.get(field_key)
        return match.column if match else None

    def field_for(self, column: str) -> str | None:
        for key, match in self.matches.items():
            if match.column == column:
                return key
        return None

    def set(
        self, field_key: str, column: str | None, reason: MatchReason = MatchReason.USER
    ) -> None:
        """Point a field at a column (None clears it); a column serves one field only."""
        if field_key not in FIELDS_BY_KEY:
            raise KeyError(field_key)
        if column is not None:
            for key in [k for k, m in self.matches.items() if m.column == column]:
                del self.matches[key]
            self.matches[field_key] = FieldMatch(field_key, column, reason)
        else:
            self.matches.pop(field_key, None)

    def missing_required(self) -> list[FieldSpec]:
        """Required order and product fields that no column holds."""
        return [
            spec
            for spec in FIELDS
            if spec.required
            and spec.level in (Level.ORDER, Level.PRODUCT)
            and spec.key not in self.matches
        ]

    def to_preset(
        self, headers: Sequence[str] | None = None, timezone: str | None = None
    ) -> dict[str, Any]:
        data: dict[str, Any] = {
            "version": PRESET_VERSION,
            "fields": {key: match.column for key, match in self.matches.items()},
        }
        if headers is not None:
            data["signature"] = header_signature(headers)
        if timezone:
            data["timezone"] = timezone
        return data

    def copy(self) -> Mapping:
        return Mapping(dict(self.matches), self.source)


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


_EXACT = {spec.key: _exact_names(spec) for spec in FIELDS}
_SYNONYMS = {spec.key: {normalize_header(s) for s in spec.synonyms} for spec in FIELDS}
_SHOPIFY_MARKERS = {
    normalize_header(h)
    for h in (
        "Lineitem name",
        "Lineitem quantity",
        "Lineitem price",
        "Lineitem sku",
        "Financial Status",
        "Fulfillment Status",
        "Billing Name",
        "Shipping Country",
        "Accepts Marketing",
        "Paid at",
        "Created at",
    )
}

SHOPIFY_ORDER_ID_NOTE = (
    "Shopify has two order numbers: Id (a long number such as 5012345678901) and Name (the "
    "#1001 your customers see). Stores using Northbeam's Shopify pixel usually send the Id; "
    "choose Name only if your checkout sends that number to the Northbeam pixel."
)
DERIVED_CUSTOMER_NOTE = (
    "Your file has no customer ID column, so each customer gets a stable code made from their "
    "email address (the same email always gives the same code, and the email cannot be read "
    "back from it)."
)


def looks_like_shopify(headers: Iterable[str]) -> bool:
    normalized = {normalize_header(h) for h in headers}
    return len(normalized & _SHOPIFY_MARKERS) >= 3


def auto_map(headers: Sequence[str]) -> Mapping:
    """Map every column we recognise, best evidence first, each column used once."""
    normalized = [normalize_header(h) for h in headers]
    shopify = looks_like_shopify(headers)
    mapping = Mapping(source="shopify" if shopify else "generic")
    used: set[int] = set()

    def take(spec: FieldSpec, index: int, reason: MatchReason, note: str = "") -> None:
        used.add(index)
        mapping.matches[spec.key] = FieldMatch(spec.key, headers[index], reason, note)

    # Tier 1: Northbeam names. Tier 2: Shopify's columns (only when the file is a Shopify
    # export, because "Name" means the order there but a person elsewhere). Tier 3: synonyms.
    for spec in FIELDS:
        for index, norm in enumerate(normalized):
            if index not in used and norm in _EXACT[spec.key]:
                take(spec, index, MatchReason.EXACT)
                break
    exact_count = len(mapping.matches)
    if shopify:
        for spec in FIELDS:
            if spec.key in mapping.matches:
                continue
            for wanted in spec.shopify:
                norm_wanted = normalize_header(wanted)
                index = next(
                    (i for i, n in enumerate(normalized) if n == norm_wanted and i not in used),
                    None,
                )
                if index is not None:
                    note = SHOPIFY_ORDER_ID_NOTE if spec.key == "order_id" else ""
                    take(spec, index, MatchReason.KNOWN_EXPORT, note)
                    break
    for spec in FIELDS:
        if spec.key in mapping.matches:
            continue
        for index, norm in enumerate(normalized):
            if index not in used and norm in _SYNONYMS[spec.key]:
                take(spec, index, MatchReason.SYNONYM)
                break
    if exact_count >= 5 and not shopify:
        mapping.source = "northbeam"
    if "customer_id" not in mapping.matches and (
        "customer_email" in mapping.matches or "hashed_customer_email" in mapping.matches
    ):
        mapping.matches["customer_id"] = FieldMatch(
            "customer_id", DERIVED_CUSTOMER_ID, MatchReason.DERIVED, DERIVED_CUSTOMER_NOTE
        )
    return mapping


def shopify_order_id_choices(headers: Sequence[str]) -> list[str]:
    """The Shopify columns that can serve as order_id ("Id", "Name") present in this file."""
    by_norm = {normalize_header(h): h for h in headers}
    return [by_norm[n] for n in ("id", "name") if n in by_norm]


def suggest_columns(
    spec: FieldSpec, headers: Sequence[str], mapping: Mapping, limit: int = 3
) -> list[str]:
    """Unmapped columns whose names look most like the field, for 'which column holds it?'."""
    mapped = {m.column for m in mapping.matches.values()}
    names = _EXACT[spec.key] | _SYNONYMS[spec.key] | {normalize_header(spec.label)}
    scored: list[tuple[float, str]] = []
    for header in headers:
        if header in mapped:
            continue
        norm = normalize_header(header)
        if not norm:
            continue
        best = max(difflib.SequenceMatcher(None, norm, name).ratio() for name in names)
        if any(name in norm or norm in name for name in names if len(name) >= 3):
            best = max(best, 0.75)
        if best >= 0.6:
            scored.append((best, header))
    scored.sort(key=lambda item: -item[0])
    return [header for _, header in scored[:limit]]


def mapping_from_preset(data: dict[str, Any], headers: Sequence[str]) -> tuple[Mapping, list[str]]:
    """Apply a saved preset to a file: returns the mapping and notes about columns not found.

    Fields the preset does not name are auto-mapped as usual, so a preset never makes a file
    worse than no preset.
    """
    if not isinstance(data, dict) or not isinstance(data.get("fields"), dict):
        raise ValueError("This mapping file is not a Northbeam Desktop mapping preset.")
    mapping = auto_map(headers)
    notes: list[str] = []
    header_set = set(headers)
    for key, column in data["fields"].items():
        if key not in FIELDS_BY_KEY:
            notes.append(f"The saved mapping names an unknown field “{key}”; it was ignored.")
            continue
        if column == DERIVED_CUSTOMER_ID:
            mapping.matches[key] = FieldMatch(
                key, column, MatchReason.PRESET, DERIVED_CUSTOMER_NOTE
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
        if timezone is None:
            known = self.find(headers)
            timezone = preset_timezone(known) if known is not None else None
        save_preset(path, mapping, headers, timezone)
        return path

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
