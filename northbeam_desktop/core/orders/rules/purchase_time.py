"""When: the time of purchase.

Rules: every order needs its time of purchase (`required`); a time more than ten minutes ahead
of now is probably a mistyped date, day/month order or time zone (`time_in_future`, a warning).
"""

from __future__ import annotations

from northbeam_desktop.core.orders import values
from northbeam_desktop.core.orders.issues import IssueCode
from northbeam_desktop.core.orders.records import Bad
from northbeam_desktop.core.orders.rules.context import (
    WARNING,
    Add,
    CheckContext,
    OrderFacts,
    Screen,
)

NAME = "purchase time"
CODES = frozenset({IssueCode.TIME_IN_FUTURE})
SCREEN_EXACT = True
KEY = "time_of_purchase"


def check(context: CheckContext, facts: OrderFacts, add: Add) -> None:
    column = context.order_col.get(KEY)
    if column is None:
        return
    when = facts.values.get(KEY)
    if when is not None:
        if when > context.now_limit:
            add(
                context.issue(
                    facts.record,
                    IssueCode.TIME_IN_FUTURE,
                    WARNING,
                    f"Time of purchase {values.to_iso(when)} is in the future. "
                    "Check the date, the day/month order and the time zone.",
                    KEY,
                    facts.row_of(KEY),
                    column,
                )
            )
    elif KEY not in facts.bad:
        add(context.required(facts.record, KEY, facts.first, column))


def screen(context: CheckContext, screen: Screen) -> None:
    """Candidates without a time, or with one in the future."""
    times = screen.at_first.get(KEY)
    if times is None:
        return
    limit = context.now_limit
    # The usual column (all understood, none blank) is settled by one C-level max().
    if context.order_col[KEY].had_bad or None in times or max(times) > limit:
        screen.reject(
            NAME,
            [i for i, t in enumerate(times) if t is None or (t.__class__ is not Bad and t > limit)],
        )
