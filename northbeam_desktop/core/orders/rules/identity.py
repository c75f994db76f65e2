"""Who bought: order ID, customer ID, email and phone (plain or hashed).

Rules: an order needs its ID and a customer ID (`required`); the customer ID is neither the order
ID (`customer_id_is_order_id`) nor an email (`customer_id_is_email`), and when the file has none
it is made from the email (a stable, non-reversible code); an email or phone is sent plain or
hashed, never both (`email_and_hash`, `phone_and_hash`); with hashing on, a phone number that
cannot be written internationally cannot be hashed (`invalid_phone`).
"""

from __future__ import annotations

from operator import eq
from typing import Any

from northbeam_desktop.core.orders import hashing
from northbeam_desktop.core.orders.fields import FIELDS_BY_KEY
from northbeam_desktop.core.orders.issues import Issue, IssueCode
from northbeam_desktop.core.orders.rules.context import (
    ERROR,
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
        email = found.get("customer_email")
        hashed_email = found.get("hashed_customer_email")
        if email:
            customer_id = derived_customer_id(email)
        elif hashed_email:
            customer_id = derived_customer_id(hashed_email, already_hashed=True)
        elif "customer_email" not in facts.bad and "hashed_customer_email" not in facts.bad:
            add(
                context.issue(
                    record,
                    IssueCode.REQUIRED,
                    ERROR,
                    "This order has no customer ID and no email to make a customer "
                    "code from. Type the customer's email, or map a customer ID "
                    "column.",
                    "customer_id",
                    facts.first,
                    order_col.get("customer_email"),
                )
            )
    elif customer_id is None:
        if "customer_id" in order_col and "customer_id" not in facts.bad:
            add(context.required(record, "customer_id", facts.first, order_col["customer_id"]))
    else:
        problem = customer_id_problem(customer_id, record.order_id)
        if problem is not None:
            add(_customer_id_issue(context, facts, problem, customer_id))
    facts.customer_id = customer_id


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
                label = FIELDS_BY_KEY[plain_key].label
                add(
                    context.issue(
                        record,
                        digest.code,
                        ERROR,
                        f"{label}: {digest.message}",
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
        screen.reject(
            NAME,
            [i for i, (e, h) in enumerate(zip(emails, hashes, strict=True)) if not e and not h],
        )
    elif "customer_id" in at_first:
        customer_ids = at_first["customer_id"]
        order_ids = [record.order_id for record in screen.candidates]
        # The rule asked once per distinct ID that may be an email; equality with the order ID
        # is one C-level comparison per order.
        email_like = {
            cid
            for cid in set(customer_ids)
            if cid.__class__ is str and "@" in cid and customer_id_problem(cid, None) is not None
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
