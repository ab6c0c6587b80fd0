"""Ids and timestamps: the fast forms give exactly what the standard library gives."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tearline.errors import ValidationError
from tearline.stix.ids import NAMESPACE, format_time, parse_time, stix_id, uuid5_text


def reference_format(value: datetime) -> str:
    """What ``format_time`` wrote before it was tuned."""
    value = value.astimezone(UTC)
    if value.microsecond:
        return value.strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    return value.strftime("%Y-%m-%dT%H:%M:%S.000Z")


@given(st.text(max_size=200))
def test_uuid5_text_is_uuid5(key: str) -> None:
    assert uuid5_text(key) == str(uuid.uuid5(NAMESPACE, key))
    assert stix_id("identity", key) == f"identity--{uuid.uuid5(NAMESPACE, key)}"


zones = st.sampled_from([UTC, timezone(timedelta(hours=-6)),
                         timezone(timedelta(hours=5, minutes=30)),
                         ZoneInfo("America/Mexico_City"), ZoneInfo("America/New_York")])


@given(st.datetimes(min_value=datetime(2, 1, 1), max_value=datetime(9998, 12, 30),
                    timezones=zones, allow_imaginary=False))
def test_format_time_is_the_strftime_text_and_parses_back(value: datetime) -> None:
    if value.astimezone(UTC).year >= 1000:  # strftime does not pad earlier years (below)
        assert format_time(value) == reference_format(value)
    assert format_time(value) == format_time(value)  # and again, from memory
    # Compared as instants: PEP 495 makes an aware datetime on a repeated (fold) hour
    # unequal to every datetime of another zone, even the same instant.
    assert parse_time(format_time(value)) == value.astimezone(UTC)


def test_both_sides_of_a_dst_fold_keep_their_instant() -> None:
    # Equal as datetimes of one zone, an hour apart as instants: a cache keyed by the
    # local value would give one of them the other's text.
    zone = ZoneInfo("America/New_York")
    first = datetime(2024, 11, 3, 1, 30, tzinfo=zone, fold=0)
    second = datetime(2024, 11, 3, 1, 30, tzinfo=zone, fold=1)
    assert first == second
    assert format_time(first) == "2024-11-03T05:30:00.000Z"
    assert format_time(second) == "2024-11-03T06:30:00.000Z"


def test_old_years_and_whole_seconds() -> None:
    # RFC 3339 years have four digits (strftime would write "999")
    assert format_time(datetime(999, 1, 2, tzinfo=UTC)) == "0999-01-02T00:00:00.000Z"
    assert parse_time("0999-01-02T00:00:00.000Z") == datetime(999, 1, 2, tzinfo=UTC)
    assert format_time(datetime(2024, 1, 2, 3, 4, 5, 7, tzinfo=UTC)) == (
        "2024-01-02T03:04:05.000007Z")
    assert format_time(datetime(2024, 1, 2, 3, 4, 5, tzinfo=UTC)) == "2024-01-02T03:04:05.000Z"


def test_a_naive_timestamp_is_refused_every_time() -> None:
    for _ in range(2):  # the refusal is not remembered as a value
        with pytest.raises(ValidationError):
            format_time(datetime(2024, 1, 1))
