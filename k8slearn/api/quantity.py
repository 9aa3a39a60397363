"""Resource quantities: ``500m`` CPU, ``256Mi`` memory, parsed exactly and printed canonically.

A quantity is a number with a suffix: decimal SI (``m``, ``k``, ``M``...), binary SI (``Ki``,
``Mi``, ``Gi``...) or a decimal exponent (``e3``). The value is kept exactly (a Fraction) and
printed in canonical form, as the API server stores it.

>>> q = parse_quantity("1.5")
>>> str(q), q.milli_value(), q.value()
('1500m', 1500, 2)
>>> str(parse_quantity("1024Mi")), str(parse_quantity("1.5Gi")), str(parse_quantity("2000m"))
('1Gi', '1536Mi', '2')
>>> parse_quantity("500m") < parse_quantity("1")
True
>>> format_cpu(1500), format_memory(268435456)
('1500m', '256Mi')

Simplifies: no int64 overflow caps; values finer than a nano are rounded away from zero.

Upstream: staging/src/k8s.io/apimachinery/pkg/api/resource/quantity.go, suffix.go, amount.go
"""

from __future__ import annotations

import functools
from fractions import Fraction
from typing import Union

DECIMAL_SI = "DecimalSI"
BINARY_SI = "BinarySI"
DECIMAL_EXPONENT = "DecimalExponent"

ERR_FORMAT_WRONG = ("quantities must match the regular expression "
                    "'^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'")
ERR_SUFFIX = "unable to parse quantity's suffix"

_DEC_SUFFIX = {"n": -9, "u": -6, "m": -3, "": 0, "k": 3, "M": 6, "G": 9, "T": 12, "P": 15, "E": 18}
_BIN_SUFFIX = {"Ki": 1, "Mi": 2, "Gi": 3, "Ti": 4, "Pi": 5, "Ei": 6}
_DEC_BY_EXP = {v: k for k, v in _DEC_SUFFIX.items()}
_BIN_BY_EXP = {v: k for k, v in _BIN_SUFFIX.items()}
_BIN_BY_EXP[0] = ""
_SUFFIX_CHARS = set("eEinumkKMGTP")
_NANO = Fraction(1, 10**9)


def _ceil_away(x: Fraction) -> int:
    """Round to an integer away from zero (Quantity rounds "up" this way)."""
    n = -((-abs(x.numerator)) // x.denominator)
    return n if x >= 0 else -n


@functools.total_ordering
class Quantity:
    """An exact amount plus the suffix family it was written in."""

    __slots__ = ("amount", "format")

    def __init__(self, amount: Union[Fraction, int] = 0, format: str = DECIMAL_SI) -> None:
        amount = Fraction(amount)
        if (amount / _NANO).denominator != 1:
            amount = _ceil_away(amount / _NANO) * _NANO
        self.amount = amount
        self.format = format

    def milli_value(self) -> int:
        """ceil(q * 1000), away from zero."""
        return _ceil_away(self.amount * 1000)

    def value(self) -> int:
        """The value rounded up (away from zero) to an integer."""
        return _ceil_away(self.amount)

    def is_zero(self) -> bool:
        return self.amount == 0

    def __str__(self) -> str:
        return canonical(self.amount, self.format)

    def __repr__(self) -> str:
        return f"Quantity({str(self)!r})"

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Quantity):
            return NotImplemented
        return self.amount == other.amount

    def __lt__(self, other: "Quantity") -> bool:
        if not isinstance(other, Quantity):
            return NotImplemented
        return self.amount < other.amount

    def __hash__(self) -> int:
        return hash(self.amount)

    def __add__(self, other: "Quantity") -> "Quantity":
        return Quantity(self.amount + other.amount, self.format)

    def __sub__(self, other: "Quantity") -> "Quantity":
        return Quantity(self.amount - other.amount, self.format)

    def __neg__(self) -> "Quantity":
        return Quantity(-self.amount, self.format)


def parse_quantity(s: Union[str, int, float, Quantity]) -> Quantity:
    """ParseQuantity; raises ValueError with apimachinery's message."""
    if isinstance(s, Quantity):
        return s
    if isinstance(s, bool):
        raise ValueError(ERR_FORMAT_WRONG)
    if isinstance(s, (int, float)):
        s = str(s)
    if not isinstance(s, str) or not s:
        raise ValueError(ERR_FORMAT_WRONG)
    if s == "0":
        return Quantity(0, DECIMAL_SI)
    positive, num, denom, suffix = _split(s)
    base, exponent, fmt = _interpret(suffix)
    amount = Fraction(int(num + denom or "0"), 10 ** len(denom)) * Fraction(base) ** exponent
    if fmt == BINARY_SI and 0 < amount < 1:
        fmt = DECIMAL_SI
    return Quantity(amount if positive else -amount, fmt)


def _split(s: str) -> tuple[bool, str, str, str]:
    """parseQuantityString: sign, integer digits, fraction digits, suffix."""
    pos, end, positive = 0, len(s), True
    if s[0] in "+-":
        positive = s[0] == "+"
        pos = 1
    start = pos
    while pos < end and s[pos].isdigit() and s[pos].isascii():
        pos += 1
    num = s[start:pos]
    denom = ""
    if pos < end and s[pos] == ".":
        pos += 1
        start = pos
        while pos < end and s[pos].isdigit() and s[pos].isascii():
            pos += 1
        denom = s[start:pos]
    suffix_start = pos
    while pos < end and s[pos] in _SUFFIX_CHARS:
        pos += 1
    if pos < end and s[pos] in "+-":
        pos += 1
    while pos < end and s[pos].isdigit() and s[pos].isascii():
        pos += 1
    if pos != end:
        raise ValueError(ERR_FORMAT_WRONG)
    return positive, num, denom, s[suffix_start:]


def _interpret(suffix: str) -> tuple[int, int, str]:
    if suffix in _DEC_SUFFIX:
        return 10, _DEC_SUFFIX[suffix], DECIMAL_SI
    if suffix in _BIN_SUFFIX:
        return 2, 10 * _BIN_SUFFIX[suffix], BINARY_SI
    if len(suffix) > 1 and suffix[0] in "eE":
        try:
            return 10, int(suffix[1:]), DECIMAL_EXPONENT
        except ValueError:
            pass
    raise ValueError(ERR_SUFFIX)


def canonical(amount: Fraction, fmt: str) -> str:
    """CanonicalizeBytes: the one string the API server writes for this amount and format."""
    if amount == 0:
        return "0"
    sign = "-" if amount < 0 else ""
    amount = abs(amount)
    if fmt == BINARY_SI and amount >= 1024 and amount.denominator == 1:
        mantissa, exp = int(amount), 0
        while mantissa % 1024 == 0 and exp < 6:
            mantissa //= 1024
            exp += 1
        return f"{sign}{mantissa}{_BIN_BY_EXP[exp]}"
    mantissa, exp = int(amount / _NANO), -9
    while mantissa % 10 == 0:
        mantissa //= 10
        exp += 1
    if exp % 3 == 1:
        mantissa, exp = mantissa * 10, exp - 1
    elif exp % 3 == 2:
        mantissa, exp = mantissa * 100, exp - 2
    if fmt != DECIMAL_EXPONENT and exp in _DEC_BY_EXP:
        return f"{sign}{mantissa}{_DEC_BY_EXP[exp]}"
    return f"{sign}{mantissa}" + (f"e{exp}" if exp else "")


def cpu_millis(q: Union[str, int, float, Quantity]) -> int:
    """CPU in millicores: ``cpu_millis("1.5") == 1500``."""
    return parse_quantity(q).milli_value()


def memory_bytes(q: Union[str, int, float, Quantity]) -> int:
    """Memory in bytes: ``memory_bytes("1Ki") == 1024``."""
    return parse_quantity(q).value()


def format_cpu(millis: int) -> str:
    """Millicores as the API server prints them: 1500 -> ``1500m``, 2000 -> ``2``."""
    return canonical(Fraction(millis, 1000), DECIMAL_SI)


def format_memory(n_bytes: int) -> str:
    """Bytes as the API server prints a binary-SI quantity: 268435456 -> ``256Mi``."""
    return canonical(Fraction(n_bytes), BINARY_SI)
