"""Seeded synthetic values: one ``random.Random`` and one en_GB Faker, both from the seed, so the
same seed always gives the same data. Everything random in the demo comes from here."""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Sequence
from typing import TypeVar

from faker import Faker

T = TypeVar("T")


class Synth:
    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)
        self.fake = Faker("en_GB")
        self.fake.seed_instance(seed)

    def chance(self, probability: float) -> bool:
        return self.rng.random() < probability

    def pick(self, items: Sequence[T]) -> T:
        return items[self.rng.randrange(len(items))]

    def weighted(self, pairs: Sequence[tuple[T, int]]) -> T:
        values = [value for value, _ in pairs]
        weights = [weight for _, weight in pairs]
        return self.rng.choices(values, weights=weights, k=1)[0]

    def between(self, low: int, high: int) -> int:
        return self.rng.randint(low, high)

    def days_after(self, start: dt.date, low: int, high: int) -> dt.date:
        return start + dt.timedelta(days=self.rng.randint(low, high))

    def weekday_after(self, start: dt.date, low: int, high: int) -> dt.date:
        """A court sitting day (Monday to Friday) ``low``..``high`` days after ``start``."""
        day = self.days_after(start, low, high)
        while day.weekday() >= 5:
            day += dt.timedelta(days=1)
        return day

    def person(self) -> tuple[str, str]:
        """(surname, forenames) of a synthetic adult."""
        first = self.fake.first_name_male() if self.chance(0.82) else self.fake.first_name_female()
        middle = f" {self.fake.first_name()}" if self.chance(0.35) else ""
        return self.fake.last_name(), first + middle

    def pnc_id(self, year: int) -> str:
        """Police National Computer id in the published format YY/NNNNNNNL."""
        check = self.rng.choice("ABCDEFGHJKLMNPQRTUVWXYZ")
        return f"{year % 100:02d}/{self.rng.randint(0, 9_999_999):07d}{check}"
