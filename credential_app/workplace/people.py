"""Each employee's workplace history, read once from the outcome events, and what it says
at a given date: role and site, hire-date band, prior performance, and the outcomes that
follow (the lagging indicators). Pure Python over one pass of the events."""
from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass, field
from datetime import date, timedelta

from credential_app.workplace.models import OutcomeType

NO_VALUE = "—"


@dataclass
class History:
    hired_on: date | None = None
    roles: list = field(default_factory=list)  # (date, role, site), by date
    performance: list = field(default_factory=list)  # (date, value), by date
    promotions: list = field(default_factory=list)  # dates
    salary_steps: list = field(default_factory=list)  # (date, steps)
    left_on: date | None = None
    days_to_productive: float | None = None
    remediations: list = field(default_factory=list)  # dates

    def add(self, event_type, occurred_on, value, role, site):
        if event_type == OutcomeType.HIRE:
            self.hired_on = occurred_on
            self.roles.append((occurred_on, role, site))
        elif event_type == OutcomeType.ROLE_CHANGE:
            self.roles.append((occurred_on, role, site))
        elif event_type == OutcomeType.PERFORMANCE and value is not None:
            self.performance.append((occurred_on, float(value)))
        elif event_type == OutcomeType.PROMOTION:
            self.promotions.append(occurred_on)
        elif event_type == OutcomeType.SALARY_BAND and value is not None:
            self.salary_steps.append((occurred_on, float(value)))
        elif event_type == OutcomeType.EXIT:
            self.left_on = occurred_on if self.left_on is None else min(self.left_on,
                                                                        occurred_on)
        elif event_type == OutcomeType.PRODUCTIVE and value is not None:
            self.days_to_productive = float(value)

    # --- who they were at a date (matching) ---
    def employed_at(self, day: date) -> bool:
        hired = self.hired_on is None or self.hired_on <= day
        return hired and (self.left_on is None or self.left_on > day)

    def role_at(self, day: date) -> tuple[str, str]:
        before = [r for r in self.roles if r[0] <= day]
        return (before[-1][1], before[-1][2]) if before else (NO_VALUE, NO_VALUE)

    def hire_band(self) -> str:
        if self.hired_on is None:
            return NO_VALUE
        return f"{self.hired_on.year}-H{1 if self.hired_on.month <= 6 else 2}"

    def prior_performance_band(self, day: date) -> str | None:
        """Below, at or above target in the last rating before ``day``; None: no rating."""
        dates = [d for d, _v in self.performance]
        index = bisect_right(dates, day - timedelta(days=1))
        if index == 0:
            return None
        value = self.performance[index - 1][1]
        return "below" if value < 90 else ("above" if value > 110 else "at")

    # --- what followed (outcomes) ---
    def performance_after(self, day: date, days: int, today: date) -> float | None:
        """The last rating in the ``days`` after ``day`` (observed windows only)."""
        end = day + timedelta(days=days)
        if end > today:
            return None
        within = [v for d, v in self.performance if day < d <= end]
        return within[-1] if within else None

    def retained(self, day: date, days: int, today: date) -> float | None:
        end = day + timedelta(days=days)
        if end > today:
            return None
        return 0.0 if self.left_on is not None and day < self.left_on <= end else 100.0

    def days_to_promotion(self, day: date, today: date, horizon=730) -> float | None:
        later = [d for d in self.promotions if day < d <= min(today, day + timedelta(horizon))]
        return float((min(later) - day).days) if later else None

    def salary_uplift(self, day: date, today: date, days=365) -> float | None:
        end = day + timedelta(days=days)
        if end > today:
            return None
        return float(sum(v for d, v in self.salary_steps if day < d <= end))

    def is_new_hire(self, day: date) -> bool:
        return self.hired_on is not None and day - timedelta(days=365) <= self.hired_on <= day

    def remediation_sessions(self, day: date, today: date) -> float | None:
        """Remediation units completed in the first year after hire, for new hires."""
        if not self.is_new_hire(day) or self.hired_on + timedelta(days=365) > today:
            return None
        end = self.hired_on + timedelta(days=365)
        return float(sum(1 for d in self.remediations if self.hired_on <= d <= end))

    def productive_days(self, day: date) -> float | None:
        return self.days_to_productive if self.is_new_hire(day) else None
