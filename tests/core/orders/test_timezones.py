"""Time zones have one home (core/orders/timezones.py) and both pickers list the same zones."""

from __future__ import annotations

import zoneinfo

import pytest

from northbeam_desktop.core.orders import timezones


def test_the_picker_list_is_every_area_location_zone_and_utc() -> None:
    names = timezones.picker_names()
    assert list(names) == sorted(names)
    assert {"UTC", "America/New_York", "Europe/Berlin", "Asia/Kolkata"} <= set(names)
    assert all("/" in name or name == "UTC" for name in names)
    assert "EST5EDT" not in names and timezones.is_valid_timezone("EST5EDT")  # typed: accepted


def test_system_timezone_is_a_known_zone() -> None:
    assert timezones.is_valid_timezone(timezones.system_timezone())
    assert timezones.local_timezone_name()


def test_resolve_timezone_explains_an_unknown_name() -> None:
    assert timezones.resolve_timezone("Europe/Berlin") == zoneinfo.ZoneInfo("Europe/Berlin")
    with pytest.raises(ValueError) as info:
        timezones.resolve_timezone("Mars/Olympus")
    assert str(info.value).startswith("“Mars/Olympus” is not a time zone name.")


def test_settings_use_the_same_helpers() -> None:
    from northbeam_desktop.core.local import settings

    assert settings.is_valid_timezone is timezones.is_valid_timezone
    assert settings.system_timezone is timezones.system_timezone
