"""shared_float gives one float object per value, and never a value that differs from the one given."""

import math

import pytest

from k8slearn.api import shared
from k8slearn.api.shared import shared_float


def fresh(x):
    return float(repr(x))  # an equal float that is a new object


@pytest.mark.parametrize(
    "value, shared_again",
    [
        pytest.param(1.5, True, id="a simulated instant is one object for everyone"),
        pytest.param(24.000347222222223, True, id="a token count with many digits too"),
        pytest.param(-3.25, True, id="a negative float too"),
        pytest.param(0.0, False, id="zero is not shared (it would equal minus zero)"),
        pytest.param(-0.0, False, id="minus zero is not shared and keeps its sign"),
        pytest.param(math.inf, True, id="infinity is shared"),
        pytest.param(math.nan, False, id="a NaN equals nothing: it comes back as it is"),
        pytest.param(7, False, id="an int comes back as it is, not as the equal float"),
        pytest.param(True, False, id="a bool comes back as it is"),
    ],
)
def test_shared_float_returns_an_equal_value_shared_only_for_nonzero_floats(value, shared_again):
    shared._FLOATS.clear()
    a = fresh(value) if value.__class__ is float else value
    b = fresh(value) if value.__class__ is float else value
    got_a, got_b = shared_float(a), shared_float(b)
    assert got_a.__class__ is value.__class__ and got_b.__class__ is value.__class__
    assert repr(got_a) == repr(value) and repr(got_b) == repr(value)  # same value, same sign
    assert (got_a is got_b) is shared_again or value.__class__ is not float and got_b is b


def test_the_table_stays_bounded_and_still_answers_equal_values():
    shared._FLOATS.clear()
    for i in range(1, 3 * shared._FLOATS.limit):
        x = i / 7
        assert shared_float(x) == x
    assert len(shared._FLOATS) <= shared._FLOATS.limit
