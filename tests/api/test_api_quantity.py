"""Quantities: parsing, canonical printing, rounding and the helpers the scheduler and kubelet use."""

from fractions import Fraction

import pytest
from hypothesis import given, strategies as st

from k8slearn.api.quantity import (
    ERR_FORMAT_WRONG, ERR_SUFFIX, Quantity, cpu_millis, format_cpu, format_memory, memory_bytes,
                                   parse_quantity,
)

CANONICAL = [
    ("1.5", "1500m", "a decimal CPU count prints in millicores"),
    ("2000m", "2", "a whole number of millicores prints as cores"),
    ("100m", "100m", "millicores that are not whole cores stay millicores"),
    ("0.1", "100m", "a tenth of a core is 100m"),
    ("1024Mi", "1Gi", "1024 mebibytes print as one gibibyte"),
    ("1.5Gi", "1536Mi", "a fractional gibibyte prints in mebibytes"),
    ("0.5Gi", "512Mi", "half a gibibyte is 512Mi"),
    ("1000Ki", "1000Ki", "a binary amount not divisible by 1024 keeps its suffix"),
    ("0.5Ki", "512", "a binary amount below 1024 prints as a plain decimal number"),
    ("1000", "1k", "a plain 1000 prints with the k suffix"),
    ("1e3", "1e3", "an exponent quantity keeps exponent notation"),
    ("1.5e3", "1500", "an exponent that is not a multiple of three is folded into the number"),
    ("12e-3", "12e-3", "a negative exponent keeps exponent notation"),
    ("0.0000000001", "1n", "amounts below a nano are rounded up to one nano"),
    ("-1.5", "-1500m", "a negative quantity keeps its sign"),
    ("0", "0", "zero is printed as 0"),
    (2, "2", "an integer from YAML is accepted"),
    (0.25, "250m", "a float from YAML is accepted"),
    ("1E", "1E", "E alone is the exa suffix"),
]


@pytest.mark.parametrize("text,expected", [(t, e) for t, e, _ in CANONICAL], ids=[i for _, _, i in CANONICAL])
def test_a_quantity_prints_in_canonical_form(text, expected):
    assert str(parse_quantity(text)) == expected


VALUES = [
    ("1.5", 1500, 2, "1.5 cores are 1500 millicores and round up to 2"),
    ("1Ki", 1024000, 1024, "one kibibyte is 1024 bytes"),
    ("100m", 100, 1, "100m rounds up to a whole 1"),
    ("-1.5", -1500, -2, "negative values round away from zero"),
    ("1n", 1, 1, "one nano rounds up to one milli"),
]


@pytest.mark.parametrize("text,milli,value", [v[:3] for v in VALUES], ids=[v[3] for v in VALUES])
def test_milli_value_and_value_round_up(text, milli, value):
    q = parse_quantity(text)
    assert (q.milli_value(), q.value()) == (milli, value)


INVALID = [
    ("abc", ERR_FORMAT_WRONG, "letters with no number are the wrong format"),
    ("", ERR_FORMAT_WRONG, "an empty string is the wrong format"),
    ("1.2.3", ERR_FORMAT_WRONG, "two decimal points are the wrong format"),
    ("1KB", ERR_FORMAT_WRONG, "a trailing B is the wrong format"),
    (" 1", ERR_FORMAT_WRONG, "leading space is the wrong format"),
    ("1K", ERR_SUFFIX, "an uppercase K is not a suffix"),
    ("1ki", ERR_SUFFIX, "a lowercase ki is not a suffix"),
    ("1e", ERR_SUFFIX, "e with no exponent is not a suffix"),
    ("1m5", ERR_SUFFIX, "a suffix followed by digits is not a suffix"),
]


@pytest.mark.parametrize("text,message", [v[:2] for v in INVALID], ids=[v[2] for v in INVALID])
def test_a_malformed_quantity_gets_apimachinerys_message(text, message):
    with pytest.raises(ValueError) as err:
        parse_quantity(text)
    assert str(err.value) == message


def test_the_format_error_quotes_the_upstream_regular_expression():
    assert ERR_FORMAT_WRONG == (
        "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'")


COMPARE = [
    ("500m", "1", True, "half a core is less than one core"),
    ("1Gi", "1000Mi", False, "a gibibyte is not less than 1000 mebibytes"),
    ("1G", "1Gi", True, "a gigabyte is less than a gibibyte"),
]


@pytest.mark.parametrize("a,b,less", [c[:3] for c in COMPARE], ids=[c[3] for c in COMPARE])
def test_quantities_compare_by_value(a, b, less):
    assert (parse_quantity(a) < parse_quantity(b)) is less


def test_equal_amounts_in_different_suffixes_are_equal():
    assert parse_quantity("1Gi") == parse_quantity("1024Mi") and parse_quantity("1") == parse_quantity("1000m")


def test_adding_quantities_keeps_the_left_format():
    assert str(parse_quantity("512Mi") + parse_quantity("512Mi")) == "1Gi"


HELPERS = [
    (cpu_millis, "1.5", 1500, "cpu_millis reads cores"),
    (cpu_millis, "250m", 250, "cpu_millis reads millicores"),
    (memory_bytes, "1Ki", 1024, "memory_bytes reads kibibytes"),
    (memory_bytes, "1M", 1000000, "memory_bytes reads megabytes"),
    (format_cpu, 1500, "1500m", "format_cpu prints 1500 millicores as 1500m"),
    (format_cpu, 2000, "2", "format_cpu prints 2000 millicores as 2"),
    (format_cpu, 0, "0", "format_cpu prints zero as 0"),
    (format_memory, 268435456, "256Mi", "format_memory prints 268435456 bytes as 256Mi"),
    (format_memory, 8 * 1024**3, "8Gi", "format_memory prints 8 GiB as 8Gi"),
    (format_memory, 1000, "1k", "format_memory prints under 1024 bytes in decimal"),
]


@pytest.mark.parametrize("fn,arg,expected", [h[:3] for h in HELPERS], ids=[h[3] for h in HELPERS])
def test_cpu_and_memory_helpers(fn, arg, expected):
    assert fn(arg) == expected


@given(st.integers(min_value=-10**12, max_value=10**12),
       st.sampled_from(["DecimalSI", "BinarySI", "DecimalExponent"]))
def test_the_canonical_string_parses_back_to_the_same_amount(millis, fmt):
    q = Quantity(Fraction(millis, 1000), fmt)
    assert parse_quantity(str(q)) == q
