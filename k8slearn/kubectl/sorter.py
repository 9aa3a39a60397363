"""``--sort-by``: the value each object is sorted by, and which of two values comes first.

kubectl reads the field from the object as JSON (unstructured), so a value is a JSON value and
``isLess`` takes its ``reflect.Interface`` branch:

* an object without the field is "less" than any other, even than another without it (``Less``);
* a field that is present but ``null`` comes before any value (a nil interface), after a missing one;
* numbers compare as numbers;
* two strings that both parse as resource quantities compare as quantities (``"500m" < "1"``),
  any other two strings in natural order: runs of digits compare as numbers, digits sort before
  other bytes, and with equal numbers fewer leading zeros come first.

>>> natural_less("pod-2", "pod-10"), natural_less("pod-10", "pod-2"), natural_less("a2", "a02")
(True, False, True)
>>> keys = [sort_key({"v": v}, ".v") for v in ("1Gi", "500Mi", "2", "web-10", "web-9")]
>>> is_less(keys[1], keys[0]), is_less(keys[2], keys[1]), is_less(keys[4], keys[3])
(True, True, True)
>>> is_less(sort_key({"v": None}, ".v"), sort_key({"v": "a"}, ".v"))
True
>>> is_less(sort_key({"v": None}, ".v"), sort_key({}, ".v")), is_less(sort_key({}, ".v"), sort_key({}, ".v"))
(False, True)

Simplified: kubectl stops with ``unsortable type`` (klog.Exitf) when the values are of different
JSON types (a number and a string, an integer and a float), or are booleans, lists or maps;
here numbers come before everything else and the rest compare as their text in natural order.
A decimal exponent beyond ±10000 (``1e99999``) is taken as ±10000, so that building the value
stays cheap: values that small already round to ``1n``, and ones that large are only ordered
among themselves as if they were equal magnitudes of ``1e10000``.

Upstream: staging/src/k8s.io/kubectl/pkg/cmd/get/sorter.go (RuntimeSort.Less, TableSorter.Less,
isLess), vendor/github.com/fvbommel/sortorder/natsort.go (NaturalLess),
staging/src/k8s.io/apimachinery/pkg/api/resource/quantity.go (ParseQuantity, Cmp),
staging/src/k8s.io/client-go/util/jsonpath/jsonpath.go (evalField keeps a null map value)
"""

from __future__ import annotations

import re
from fractions import Fraction
from k8slearn.api.quantity import DECIMAL_EXPONENT, parse_quantity
from k8slearn.kubectl.jsonpath import JSONPathExecutionError, _text, evaluate

__all__ = ["MISSING", "sort_key", "is_less", "natural_less", "quantity_amount"]

MISSING, NULL, NUMBER, TEXT = 0, 1, 2, 3  # the kinds of value a sort key holds
_MAX_INT64 = (1 << 63) - 1
_MAX_EXPONENT = 10000
_EXPONENT_FORM = re.compile(r"([+-]?[0-9]*(?:\.[0-9]*)?)[eE]([+-]?)([0-9]+)")


def sort_key(obj: dict, expression: str) -> tuple:
    """The key ``obj`` sorts by: ``(MISSING,)``, ``(NULL,)``, ``(NUMBER, n)`` or ``(TEXT, utf8, amount)``
    (``amount`` is the string's quantity value, or None when it is not a quantity). The first
    result of the path counts (``values[0][0]``); a path that fails on this object counts as missing."""
    path = expression.strip()
    if path.startswith("{") and path.endswith("}"):
        path = path[1:-1]
    if not path.startswith((".", "[")):
        path = "." + path
    try:
        values = evaluate(path, obj)
    except JSONPathExecutionError:
        values = []
    if not values:
        return (MISSING,)
    value = values[0]
    if value is None:
        return (NULL,)
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return (NUMBER, value)
    if isinstance(value, str):
        return (TEXT, value.encode("utf-8", "surrogatepass"), quantity_amount(value))
    return (TEXT, _text(value).encode("utf-8", "surrogatepass"), None)


def is_less(a: tuple, b: tuple) -> bool:
    """RuntimeSort.Less / TableSorter.Less, then isLess on two JSON values."""
    if a[0] == MISSING:  # "if len(iValues) == 0 || len(iValues[0]) == 0 { return true }"
        return True
    if b[0] == MISSING:
        return False
    if a[0] == NULL or b[0] == NULL:  # the Interface branch: nil before anything, nil == nil
        return a[0] == NULL and b[0] != NULL
    if a[0] != b[0]:
        return a[0] < b[0]
    if a[0] == NUMBER:
        return a[1] < b[1]
    if a[2] is not None and b[2] is not None:  # both strings are quantities: Cmp
        return a[2] < b[2]
    return natural_less(a[1], b[1])


def natural_less(str1: str | bytes, str2: str | bytes) -> bool:
    """sortorder.NaturalLess, byte for byte: non-digit bytes compare bytewise, a digit sorts before
    any other byte, runs of digits compare as numbers and, when equal, fewer leading zeros first;
    when one string runs out, the shorter string is less."""
    s1 = str1.encode("utf-8", "surrogatepass") if isinstance(str1, str) else str1
    s2 = str2.encode("utf-8", "surrogatepass") if isinstance(str2, str) else str2
    idx1 = idx2 = 0
    n1, n2 = len(s1), len(s2)
    while idx1 < n1 and idx2 < n2:
        c1, c2 = s1[idx1], s2[idx2]
        dig1, dig2 = 48 <= c1 <= 57, 48 <= c2 <= 57
        if dig1 != dig2:  # digits before other characters
            return dig1
        if not dig1:
            if c1 != c2:
                return c1 < c2
            idx1 += 1
            idx2 += 1
            continue
        while idx1 < n1 and s1[idx1] == 48:  # eat zeros
            idx1 += 1
        while idx2 < n2 and s2[idx2] == 48:
            idx2 += 1
        non_zero1, non_zero2 = idx1, idx2
        while idx1 < n1 and 48 <= s1[idx1] <= 57:  # eat all digits
            idx1 += 1
        while idx2 < n2 and 48 <= s2[idx2] <= 57:
            idx2 += 1
        len1, len2 = idx1 - non_zero1, idx2 - non_zero2
        if len1 != len2:  # the shorter number (without its zeros) is less
            return len1 < len2
        nr1, nr2 = s1[non_zero1:idx1], s2[non_zero2:idx2]
        if nr1 != nr2:
            return nr1 < nr2
        if non_zero1 != non_zero2:  # the one with fewer zeros is less
            return non_zero1 < non_zero2
    return n1 < n2


def quantity_amount(text: str) -> Fraction | None:
    """resource.ParseQuantity(text)'s value for Cmp, or None when it is not a quantity. As in Go, a
    DecimalSI or BinarySI value is capped at the int64 maximum (a DecimalExponent one is not), and an
    exponent must fit an int64 and is then truncated to an int32."""
    match = _EXPONENT_FORM.fullmatch(text)
    if match:
        digits = match[3].lstrip("0") or "0"
        if len(digits) > 19:  # strconv.ParseInt fails: not a suffix
            return None
        exponent = int(digits) * (-1 if match[2] == "-" else 1)
        if not -(1 << 63) <= exponent <= _MAX_INT64:
            return None
        exponent = (exponent + (1 << 31)) % (1 << 32) - (1 << 31)  # int32(parsed)
        exponent = max(-_MAX_EXPONENT, min(_MAX_EXPONENT, exponent))
        text = f"{match[1]}e{exponent}"
    try:
        quantity = parse_quantity(text)
    except ValueError:
        return None
    amount = quantity.amount
    if quantity.format != DECIMAL_EXPONENT and abs(amount) > _MAX_INT64:
        amount = Fraction(_MAX_INT64 if amount > 0 else -_MAX_INT64)
    return amount
