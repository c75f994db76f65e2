"""Who bought: order ID, customer ID, email and phone (plain or hashed).

Rules: an order needs its ID and a customer ID (`required`); the customer ID is neither the order
ID (`customer_id_is_order_id`) nor an email (`customer_id_is_email`). When the file has none it is
made from the email, or from the phone when an order has no email (a stable, non-reversible
code); an order with neither cannot be told apart from other customers' (`no_customer`). A
customer ID that many different customers share (WooCommerce's `0` for guests, "guest") is not
an identity: the order gets the code made from its email or phone instead (`shared_customer_id`,
a warning). An email or phone is sent plain or hashed, never both (`email_and_hash`,
`phone_and_hash`); with hashing on, a phone number that cannot be written internationally cannot
be hashed (`invalid_phone`, a warning: the phone is optional, so the order goes without it).
"""

from __future__ import annotations

from operator import eq
from typing import Any

from northbeam_desktop.core.orders import hashing
from northbeam_desktop.core.orders.columns import Column
from northbeam_desktop.core.orders.fields import FIELDS_BY_KEY
from northbeam_desktop.core.orders.issues import Issue, IssueCode
from northbeam_desktop.core.orders.rules.context import (
    ERROR,
    WARNING,
    Add,
    CheckContext,
    OrderFacts,
    Screen,
)
from northbeam_desktop.core.orders.values import ValueProblem, looks_like_email

NAME = "identity"
CODES = frozenset(
    {
        IssueCode.CUSTOMER_ID_IS_ORDER_ID,
        IssueCode.CUSTOMER_ID_IS_EMAIL,
        IssueCode.SHARED_CUSTOMER_ID,
        IssueCode.NO_CUSTOMER,
        IssueCode.EMAIL_AND_HASH,
        IssueCode.PHONE_AND_HASH,
        IssueCode.INVALID_PHONE,
    }
)
SCREEN_EXACT = True

# (plain field, hashed field, issue code when both are filled, what the plain one is)
PAIRS = (
    ("customer_email", "hashed_customer_email", IssueCode.EMAIL_AND_HASH, "an email"),
    (
        "customer_phone_number",
        "hashed_customer_phone_number",
        IssueCode.PHONE_AND_HASH,
        "a phone number",
    ),
)


def derived_customer_id(email_or_hash: str, *, already_hashed: bool = False) -> str:
    """A stable, non-reversible customer code made from an email (same email, same code)."""
    digest = email_or_hash if already_hashed else hashing.hash_email(email_or_hash)
    return "em-" + digest[:24]


def phone_customer_id(context: CheckContext, phone: str) -> str:
    """The same kind of code made from a phone number: its international form when it has
    one (so "0171 5550100" and "+44 171 5550100" are one customer), else its digits."""
    e164 = context.e164(phone)
    key = e164 if isinstance(e164, str) else "".join(ch for ch in phone if ch.isdigit()) or phone
    return "ph-" + hashing.sha256_hex(key)[:24]


# Customer IDs shops write for "no customer account" (WooCommerce guests are 0).
PLACEHOLDER_IDS = frozenset({"0", "00", "-", "--", "n/a", "na", "none", "null", "guest", "unknown"})
# A customer ID seen with this many different emails (or phones) belongs to nobody.
SHARED_BY = 5


def shared_customer_ids(context: CheckContext) -> dict[str, int]:
    """Customer IDs that are not one customer's, with how many customers share each.

    Worked out once per document from every row: placeholders, and IDs that come with many
    different emails or phones."""
    cached = context.cache.get(NAME)
    if cached is not None:
        return cached  # type: ignore[no-any-return]
    ids = context.columns.get("customer_id")
    shared: dict[str, int] = {}
    if ids is not None and not ids.derived:
        people: dict[str, set[str]] = {}
        contacts = [
            context.columns[key].values
            for key in ("customer_email", "customer_phone_number")
            if key in context.columns
        ]
        for r, cid in enumerate(ids.values):
            if cid.__class__ is not str:
                continue
            seen = people.setdefault(cid, set())
            for column_values in contacts:
                contact = column_values[r]
                if contact.__class__ is str:
                    seen.add(contact.casefold())
                    break
        for cid, seen in people.items():
            if cid.casefold() in PLACEHOLDER_IDS or len(seen) >= SHARED_BY:
                shared[cid] = len(seen)
    context.cache[NAME] = shared
    return shared


def customer_id_problem(customer_id: Any, order_id: str | None) -> IssueCode | None:
    """What is wrong with a customer ID as a customer ID (the order-level and the column-wise
    check both ask this)."""
    if customer_id == order_id:
        return IssueCode.CUSTOMER_ID_IS_ORDER_ID
    if customer_id.__class__ is str and "@" in customer_id and looks_like_email(customer_id):
        return IssueCode.CUSTOMER_ID_IS_EMAIL
    return None


def check(context: CheckContext, facts: OrderFacts, add: Add) -> None:
    _order_id(context, facts, add)
    _customer_id(context, facts, add)
    _email_and_phone(context, facts, add)


def _order_id(context: CheckContext, facts: OrderFacts, add: Add) -> None:
    record = facts.record
    if record.order_id is None and "order_id" not in context.settings.unmapped:
        add(
            context.issue(
                record,
                IssueCode.REQUIRED,
                ERROR,
                "Order ID is empty. Every order needs the ID your shop gave it; type "
                "it in, or delete the row if it is not an order.",
                "order_id",
                facts.first,
                context.order_col.get("order_id"),
            )
        )


def _customer_id(context: CheckContext, facts: OrderFacts, add: Add) -> None:
    record = facts.record
    found = facts.values
    order_col = context.order_col
    customer_id = found.get("customer_id")
    if context.settings.derived_customer:
        customer_id = _code_from_contact(context, facts, add)
    elif customer_id is None:
        if "customer_id" in order_col and "customer_id" not in facts.bad:
            add(_no_customer_id(context, facts, order_col["customer_id"]))
    elif customer_id in shared_customer_ids(context):
        customer_id = _instead_of_shared(context, facts, add, customer_id)
    else:
        problem = customer_id_problem(customer_id, record.order_id)
        if problem is not None:
            add(_customer_id_issue(context, facts, problem, customer_id))
    facts.customer_id = customer_id


def _no_customer_id(context: CheckContext, facts: OrderFacts, column: Column) -> Issue:
    """An empty customer cell: the platform's explanation when it leaves it empty on purpose
    (Etsy's guest checkouts), else "type it in"."""
    help_text = context.settings.blank_customer
    if help_text and _empty_everywhere(context, column):
        # Not one customer in the whole column: the file lost them, no checkout did that.
        help_text = (
            "{column} is empty on every row: this copy of the file has no customers in it. "
            "Export the file again with that column filled, or choose a column with customer "
            "IDs, emails or phone numbers in the column mapping."
        )
    if not help_text:
        return context.required(facts.record, "customer_id", facts.first, column)
    return context.issue(
        facts.record,
        IssueCode.REQUIRED,
        ERROR,
        help_text.format(column=f"“{column.header}”"),
        "customer_id",
        facts.first,
        column,
    )


def _empty_everywhere(context: CheckContext, column: Column) -> bool:
    key = NAME + ".empty_customer_column"
    empty = context.cache.get(key)
    if empty is None:
        empty = context.cache[key] = all(v is None for v in column.values)
    return bool(empty)


def _code_from_contact(context: CheckContext, facts: OrderFacts, add: Add) -> str | None:
    """The customer code made from the order's email, hashed email or phone; else says that
    nothing tells who the customer is."""
    found = facts.values
    email = found.get("customer_email")
    if email:
        return derived_customer_id(email)
    hashed_email = found.get("hashed_customer_email")
    if hashed_email:
        return derived_customer_id(hashed_email, already_hashed=True)
    phone = found.get("customer_phone_number")
    if phone:
        return phone_customer_id(context, phone)
    if not facts.bad & {"customer_email", "hashed_customer_email", "customer_phone_number"}:
        column = context.order_col.get("customer_email") or context.order_col.get(
            "customer_phone_number"
        )
        where = f" in “{column.header}”" if column is not None else ""
        add(
            context.issue(
                facts.record,
                IssueCode.NO_CUSTOMER,
                ERROR,
                "This order has no email and no phone number, so Northbeam cannot tell its "
                f"customer from others. Type the customer's email{where} (or their phone "
                "number), or choose a column with your own customer IDs in the column mapping.",
                "customer_id",
                facts.first,
                column,
            )
        )
    return None


def _instead_of_shared(
    context: CheckContext, facts: OrderFacts, add: Add, customer_id: str
) -> str | None:
    """A customer ID many customers share is not sent: the email's or phone's code is."""
    code = _contact_code(context, facts)
    count = shared_customer_ids(context)[customer_id]
    many = f"{count:,} different customers" if count > 1 else "guest checkouts"
    instead = (
        "this order is sent with a customer code made from its email or phone instead"
        if code is not None
        else "and this order has no email or phone to make a customer code from: type the "
        "customer's own ID, email or phone"
    )
    add(
        context.issue(
            facts.record,
            IssueCode.SHARED_CUSTOMER_ID,
            WARNING if code is not None else ERROR,
            f"Customer ID “{customer_id}” stands for {many}, not one customer; {instead}.",
            "customer_id",
            facts.row_of("customer_id"),
            context.order_col["customer_id"],
        )
    )
    return code


def _contact_code(context: CheckContext, facts: OrderFacts) -> str | None:
    found = facts.values
    if found.get("customer_email"):
        return derived_customer_id(found["customer_email"])
    if found.get("hashed_customer_email"):
        return derived_customer_id(found["hashed_customer_email"], already_hashed=True)
    if found.get("customer_phone_number"):
        return phone_customer_id(context, found["customer_phone_number"])
    return None


def _customer_id_issue(
    context: CheckContext, facts: OrderFacts, problem: IssueCode, customer_id: str
) -> Issue:
    column = context.order_col["customer_id"]
    row = facts.row_of("customer_id")
    if problem is IssueCode.CUSTOMER_ID_IS_ORDER_ID:
        return context.issue(
            facts.record,
            problem,
            ERROR,
            f"Customer ID “{customer_id}” is the same as the order ID. "
            "Northbeam needs your ID for the customer here, the same on all "
            "their orders.",
            "customer_id",
            row,
            column,
        )
    return context.issue(
        facts.record,
        problem,
        ERROR,
        f"Customer ID “{customer_id}” is an email address; Northbeam asks "
        "for an ID that is not an email. Use your shop's customer number, "
        "or the suggested code made from the email.",
        "customer_id",
        row,
        column,
        suggestion=derived_customer_id(customer_id),
    )


def _email_and_phone(context: CheckContext, facts: OrderFacts, add: Add) -> None:
    """Email and phone: plain or hashed, never both; hashed here when the option is on."""
    record = facts.record
    found = facts.values
    sent = facts.identity
    hashing_on = context.settings.hash_identifiers
    for plain_key, hashed_key, both_code, what in PAIRS:
        plain = found.get(plain_key)
        hashed = found.get(hashed_key)
        if plain and hashed:
            add(
                context.issue(
                    record,
                    both_code,
                    ERROR,
                    f"This order has both {what} and a hashed one. Northbeam accepts "
                    "only one of them: clear one of the two cells.",
                    hashed_key,
                    facts.row_of(hashed_key),
                    context.order_col[hashed_key],
                )
            )
        elif plain and not hashing_on:
            sent[plain_key] = plain
        elif plain:
            digest = _hashed(context, plain_key, plain)
            if isinstance(digest, ValueProblem):
                # Only a phone can fail here, and it is optional: the order is still sent.
                label = FIELDS_BY_KEY[plain_key].label
                add(
                    context.issue(
                        record,
                        digest.code,
                        WARNING,
                        f"{label}: {digest.message} Until then the order is sent without it.",
                        plain_key,
                        facts.row_of(plain_key),
                        context.order_col[plain_key],
                    )
                )
            else:
                sent[hashed_key] = digest
        elif hashed:
            sent[hashed_key] = hashed


def _hashed(context: CheckContext, plain_key: str, plain: str) -> str | ValueProblem:
    if plain_key == "customer_email":
        return hashing.hash_email(plain)
    e164 = context.e164(plain)
    return e164 if isinstance(e164, ValueProblem) else hashing.sha256_hex(e164)


def screen(context: CheckContext, screen: Screen) -> None:
    """Candidates without a usable customer ID, or with a plain and a hashed identity.
    (Never called with hashing on: every order then takes the per-order check.)"""
    at_first = screen.at_first
    count = len(screen.candidates)
    if context.settings.derived_customer:
        emails = at_first.get("customer_email") or [None] * count
        hashes = at_first.get("hashed_customer_email") or [None] * count
        phones = at_first.get("customer_phone_number") or [None] * count
        screen.reject(
            NAME,
            [
                i
                for i, (e, h, p) in enumerate(zip(emails, hashes, phones, strict=True))
                if not e and not h and not p
            ],
        )
    elif "customer_id" in at_first:
        customer_ids = at_first["customer_id"]
        order_ids = [record.order_id for record in screen.candidates]
        # The rule asked once per distinct ID that may be an email; equality with the order ID
        # is one C-level comparison per order.
        shared = shared_customer_ids(context)
        email_like = {
            cid
            for cid in set(customer_ids)
            if (cid.__class__ is str and "@" in cid and customer_id_problem(cid, None) is not None)
            or cid in shared
        }
        same = map(eq, customer_ids, order_ids)
        screen.reject(
            NAME,
            [
                i
                for i, (cid, is_order_id) in enumerate(zip(customer_ids, same, strict=True))
                if cid is None or is_order_id or cid in email_like
            ],
        )
    for plain, hashed, _code, _what in PAIRS:
        if plain in at_first and hashed in at_first:
            screen.reject(
                NAME,
                [
                    i
                    for i, (a, b) in enumerate(zip(at_first[plain], at_first[hashed], strict=True))
                    if a and b
                ],
            )
