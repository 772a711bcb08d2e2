"""The geometry of the accounting's charts, worked out here so that templates only place shapes:
a stacked bar per ISO week (the four outcomes, the count above, the share kept below) and one bar
per cause. Sizes are in the SVG's own units; the page scales the whole chart to its width."""

from __future__ import annotations

from dataclasses import dataclass

from ..model import Promise
from ..outcomes import Cause, Outcome, Week
from .theme import format_date

WIDTH, HEIGHT = 480, 190
BASELINE = 142  # where bars stand; the share and the week's name go below
TALLEST = 112  # the height of the week with the most counted promises
STEP, BAR = 40, 26  # room per week, and the bar's width within it


@dataclass(frozen=True)
class Segment:
    outcome: Outcome
    count: int
    y: float
    height: float


@dataclass(frozen=True)
class Bar:
    week: Week
    x: float  # the bar's left edge
    segments: tuple[Segment, ...]
    top: float  # where the count is written

    @property
    def share_text(self) -> str:
        share = self.week.share
        return "–" if share is None else f"{round(share * 100)}%"

    @property
    def middle(self) -> float:
        return self.x + BAR / 2

    @property
    def short_label(self) -> str:
        """`W47`, as under the bar (the table and the title name the year)."""
        return self.week.label.split("-")[-1]


@dataclass(frozen=True)
class WeekChart:
    bars: tuple[Bar, ...]
    counted: int
    kept: int

    width: int = WIDTH
    height: int = HEIGHT
    baseline: int = BASELINE

    @property
    def first(self) -> Week:
        return self.bars[0].week

    @property
    def last(self) -> Week:
        return self.bars[-1].week

    @property
    def rows(self) -> list[tuple[str, str, int, int, int, int, int, str]]:
        """The table's rows, newest week first: week, its Monday, the four outcomes, counted, share."""
        found = []
        for bar in reversed(self.bars):
            week, counts = bar.week, bar.week.reliability.counts
            found.append(
                (
                    week.label,
                    format_date(week.start),
                    counts[Outcome.KEPT],
                    counts[Outcome.RENEGOTIATED],
                    counts[Outcome.LATE],
                    counts[Outcome.BROKEN],
                    week.reliability.counted,
                    "—" if week.share is None else f"{round(week.share * 100)}%",
                )
            )
        return found

    @property
    def description(self) -> str:
        """What the chart shows, in words, for screen readers (the table below has every figure)."""
        if not self.counted:
            return f"No promise was counted from {self.first.label} to {self.last.label}."
        weeks = [bar.week for bar in self.bars if bar.week.reliability.counted]
        best = max(weeks, key=lambda week: (week.share or 0, week.reliability.counted))
        worst = min(weeks, key=lambda week: (week.share or 0, -week.reliability.counted))
        return (
            f"From {self.first.label} to {self.last.label}, {self.counted} promises counted in "
            f"{len(weeks)} of {len(self.bars)} weeks, {self.kept / self.counted:.0%} kept. Highest share "
            f"kept: {best.label}, {best.share:.0%} of {best.reliability.counted}; lowest: {worst.label}, "
            f"{worst.share:.0%} of {worst.reliability.counted}."
        )


def week_chart(weeks: list[Week]) -> WeekChart:
    most = max((week.reliability.counted for week in weeks), default=0)
    scale = TALLEST / most if most else 0.0
    bars = []
    for index, week in enumerate(weeks):
        y = float(BASELINE)
        segments = []
        for outcome in Outcome:  # kept at the bottom, broken on top
            count = week.reliability.counts[outcome]
            if count:
                height = count * scale
                y -= height
                segments.append(Segment(outcome, count, round(y, 2), round(height, 2)))
        bars.append(Bar(week, index * STEP + (STEP - BAR) / 2, tuple(segments), round(y - 5, 2)))
    counted = sum(week.reliability.counted for week in weeks)
    kept = sum(week.reliability.kept for week in weeks)
    return WeekChart(tuple(bars), counted, kept, width=len(weeks) * STEP)


@dataclass(frozen=True)
class CauseBar:
    cause: Cause
    width: float  # of 100: the most frequent cause fills the row
    shown: tuple[Promise, ...]  # the first of the promises behind it, each once
    behind: int  # how many promises are behind it in all

    @property
    def label(self) -> str:
        return self.cause.name or "no cause given"


def cause_bars(causes: list[Cause], shown: int = 12) -> list[CauseBar]:
    most = max((cause.count for cause in causes), default=0)
    bars = []
    for cause in causes:
        behind = list({p.id: p for p in cause.missed + cause.renegotiated}.values())
        width = round(100 * cause.count / most, 2) if most else 0.0
        bars.append(CauseBar(cause, width, tuple(behind[:shown]), len(behind)))
    return bars
