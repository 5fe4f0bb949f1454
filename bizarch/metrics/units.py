"""Time units and durations: every duration is held in seconds and shown in a chosen unit.

The ontology states durations as decimals in the element's ``ba:timeUnit`` and gives each unit its
length in ``ba:secondsPerUnit``. Converting through seconds with exact ``Decimal`` arithmetic means
durations of different units are added only after conversion, never unconverted. Display rounds
(see :func:`format_number`); computations never do.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_EVEN, Decimal

from bizarch.namespaces import BA

DAY_SECONDS = Decimal(86400)
"""Length of the day that daily demand and inventory days refer to (``ba:Day``: 86,400 s)."""


@dataclass(frozen=True)
class TimeUnit:
    """A unit of time as declared in the graph: IRI, label and length in seconds."""

    iri: str
    label: str
    seconds: Decimal

    def name(self, value: Decimal | None = None) -> str:
        """The unit's label, plural unless the value is exactly one ("1 day", "2.5 days")."""
        if value is not None and value == 1:
            return self.label
        return self.label if self.label.endswith("s") else self.label + "s"


DAY = TimeUnit(BA + "Day", "day", DAY_SECONDS)
"""The day of daily demand; used for inventory days (days of demand)."""


@dataclass(frozen=True, order=True)
class Duration:
    """A length of time: exact seconds, shown in ``unit``."""

    seconds: Decimal
    unit: TimeUnit

    @classmethod
    def of(cls, value: Decimal, unit: TimeUnit) -> Duration:
        return cls(value * unit.seconds, unit)

    @property
    def value(self) -> Decimal:
        """The duration expressed in its display unit."""
        return self.seconds / self.unit.seconds

    def to(self, unit: TimeUnit) -> Duration:
        return Duration(self.seconds, unit)

    def __str__(self) -> str:
        value = self.value
        return f"{format_number(value)} {self.unit.name(value)}"


def format_number(value: Decimal | float, places: int = 2) -> str:
    """Round half-even for display: ``places`` decimals, or 3 significant digits below 1."""
    number = Decimal(str(value)) if isinstance(value, float) else value
    if number == 0:
        return "0"
    if abs(number) < 1:
        exponent = number.adjusted() - 2  # three significant digits
        quantum = Decimal(1).scaleb(min(exponent, -places))
    else:
        quantum = Decimal(1).scaleb(-places)
    text = f"{number.quantize(quantum, rounding=ROUND_HALF_EVEN):f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text


def percent(part: Decimal, whole: Decimal) -> Decimal | None:
    """``part / whole`` as a percentage, ``None`` when the whole is zero."""
    if whole == 0:
        return None
    share = part / whole * 100
    return Decimal(0) if share == 0 else share


def readable_unit(seconds: Decimal, units: list[TimeUnit]) -> TimeUnit | None:
    """The largest of ``units`` in which ``seconds`` is at least 1, else the smallest of them."""
    if not units:
        return None
    fitting = [u for u in units if seconds >= u.seconds]
    if fitting:
        return max(fitting, key=lambda u: u.seconds)
    return min(units, key=lambda u: u.seconds)


def signed(value: Decimal | int, places: int = 2) -> str:
    """``format_number`` with an explicit sign: ``+2.5``, ``-40``, ``0``."""
    text = format_number(Decimal(value), places)
    return text if text.startswith("-") or text == "0" else "+" + text
