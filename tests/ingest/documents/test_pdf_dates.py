"""PDF metadata dates (ISO 8824), as pdfium hands them over as text (`documents.pdf`)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest

from threadline.ingest.documents.pdf import pdf_date

_PLUS_ONE = timezone(timedelta(hours=1))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("D:20190304050607Z", datetime(2019, 3, 4, 5, 6, 7, tzinfo=UTC)),
        ("D:20190304050607Z00'00'", datetime(2019, 3, 4, 5, 6, 7, tzinfo=UTC)),
        ("D:20190304050607+01'00'", datetime(2019, 3, 4, 5, 6, 7, tzinfo=_PLUS_ONE)),
        (
            "D:20190304050607-05'30",
            datetime(2019, 3, 4, 5, 6, 7, tzinfo=timezone(-timedelta(hours=5, minutes=30))),
        ),
        ("D:20190304050607", datetime(2019, 3, 4, 5, 6, 7)),
        ("D:201903", datetime(2019, 3, 1)),
        ("20190304", datetime(2019, 3, 4)),
        ("D:20191304", None),  # month 13
        ("yesterday", None),
        ("", None),
        (None, None),
    ],
)
def test_pdf_dates(text: str | None, expected: datetime | None) -> None:
    assert pdf_date(text) == expected
