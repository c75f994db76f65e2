"""Time zones: the one place that knows this computer's zone, which names exist, and which the
pickers list.

Dates and times in a file that carry no zone of their own are read in a zone the user chooses
(the settings' default, or the mapping dialog's choice for one file); both pickers list
`picker_names()`, and anything `zoneinfo` knows is accepted when typed.
"""

from __future__ import annotations

import zoneinfo
from functools import cache

FALLBACK_TIMEZONE = "UTC"


def local_timezone_name() -> str:
    """This computer's IANA zone name (tzlocal knows Windows' names too), or UTC."""
    try:
        import tzlocal

        name = tzlocal.get_localzone_name()
        if name:
            return name
    except Exception:  # tzlocal raises assorted errors on odd setups; UTC is a safe answer
        pass
    return FALLBACK_TIMEZONE


@cache
def available_timezones() -> frozenset[str]:
    """Every IANA time zone name this computer (or the bundled tzdata) knows."""
    return frozenset(zoneinfo.available_timezones())


def is_valid_timezone(name: str) -> bool:
    return name in available_timezones()


def system_timezone() -> str:
    """The computer's IANA time zone (e.g. "Europe/Berlin"), or UTC when it cannot be told."""
    name = local_timezone_name()
    return name if is_valid_timezone(name) else FALLBACK_TIMEZONE


@cache
def picker_names() -> tuple[str, ...]:
    """The zones a picker lists: every Area/Location name and UTC, sorted (the old aliases such
    as "EST5EDT" or "Cuba" are left out of the list but still accepted when typed)."""
    return tuple(sorted(name for name in available_timezones() if "/" in name or name == "UTC"))


def resolve_timezone(name: str | None) -> zoneinfo.ZoneInfo:
    """The zone called `name` (None: this computer's); a ValueError with a sentence for the
    user when there is no such zone."""
    zone = name or local_timezone_name()
    try:
        return zoneinfo.ZoneInfo(zone)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        raise ValueError(
            f"“{zone}” is not a time zone name. Use a name such as America/New_York or "
            "Europe/Berlin."
        ) from None
