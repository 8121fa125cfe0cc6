"""The planning & control cycle's periods: three per year, January-April, May-August, September-December.

Days are Amsterdam days (as signatures' confirmed_on); a period is the half-open range [start, end).
"""

import re
from dataclasses import dataclass
from datetime import date, datetime

from flask_babel import lazy_gettext as _l

from campaign.models.base import amsterdam_day, amsterdam_midnight

PERIOD_NAMES = {1: _l("januari-april"), 2: _l("mei-augustus"), 3: _l("september-december")}
SHORT_NAMES = {1: _l("jan-apr"), 2: _l("mei-aug"), 3: _l("sep-dec")}  # table heads on a phone
_SLUG = re.compile(r"^(\d{4})-([123])$")


@dataclass(frozen=True, order=True)
class Period:
    year: int
    n: int  # 1, 2 or 3

    @classmethod
    def containing(cls, day: date) -> "Period":
        return cls(day.year, (day.month - 1) // 4 + 1)

    @classmethod
    def current(cls, now: datetime) -> "Period":
        """The period running at `now` (naive UTC), in Amsterdam."""
        return cls.containing(amsterdam_day(now))

    @classmethod
    def from_slug(cls, slug: str) -> "Period | None":
        match = _SLUG.match(slug or "")
        if not match or not 2000 <= int(match.group(1)) <= 2999:
            return None
        return cls(int(match.group(1)), int(match.group(2)))

    @property
    def slug(self) -> str:
        return f"{self.year}-{self.n}"

    @property
    def start(self) -> date:
        return date(self.year, 4 * (self.n - 1) + 1, 1)

    @property
    def end(self) -> date:
        """The first day after the period."""
        return date(self.year + 1, 1, 1) if self.n == 3 else date(self.year, 4 * self.n + 1, 1)

    @property
    def start_utc(self) -> datetime:
        return utc_of(self.start)

    @property
    def end_utc(self) -> datetime:
        return utc_of(self.end)

    @property
    def label(self) -> str:
        return f"{PERIOD_NAMES[self.n]} {self.year}"

    @property
    def short_label(self) -> str:
        return f"{SHORT_NAMES[self.n]} {self.year}"

    def previous(self) -> "Period":
        return Period(self.year - 1, 3) if self.n == 1 else Period(self.year, self.n - 1)

    def next(self) -> "Period":
        return Period(self.year + 1, 1) if self.n == 3 else Period(self.year, self.n + 1)

    def year_before(self) -> "Period":
        return Period(self.year - 1, self.n)

    def ended(self, now: datetime) -> bool:
        return now >= self.end_utc


utc_of = amsterdam_midnight  # the name the period code reads best with


def periods_between(first: Period, last: Period) -> list[Period]:
    """Every period from `first` to `last`, newest first."""
    periods, period = [], last
    while period >= first:
        periods.append(period)
        period = period.previous()
    return periods
