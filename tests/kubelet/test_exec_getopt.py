"""The one option scanner the simulated tools share (exec_common.getopt), as getopt(3) and
getopt_long(3) scan a BusyBox or GNU tool's arguments: the options in order, the operands, and
getopt's complaints."""

import pytest

from k8slearn.kubelet.exec_common import GetoptError, NotModelled, Usage, getopt

LONGS = {"--count": "c", "--regexp=": "e"}


def _scan(args, spec="icm:", **hooks):
    operands = []
    options = list(getopt(args, spec, operands, LONGS, program="grep", **hooks))
    return options, operands


@pytest.mark.parametrize("args, options, operands", [
    pytest.param(["-ic", "x"], [("i", None), ("c", None)], ["x"],
                 id="clustered options come one by one, in order"),
    pytest.param(["-m3", "x"], [("m", "3")], ["x"], id="a value may be attached to its letter"),
    pytest.param(["-m", "3", "x"], [("m", "3")], ["x"], id="or be the next argument"),
    pytest.param(["-im3c"], [("i", None), ("m", "3c")], [], id="a value takes the rest of the cluster"),
    pytest.param(["-m", "-i"], [("m", "-i")], [],
                 id="the next argument is the value even when it looks like an option"),
    pytest.param(["-i", "--", "-c", "x"], [("i", None)], ["-c", "x"], id="-- ends the options"),
    pytest.param(["-", "-i"], [("i", None)], ["-"], id="- alone is an operand"),
    pytest.param(["a", "-i", "b", "-c"], [("i", None), ("c", None)], ["a", "b"],
                 id="operands may come between the options, as GNU's getopt permutes them"),
    pytest.param(["", "-i"], [("i", None)], [""], id="an empty argument is an operand"),
    pytest.param(["--count", "x"], [("c", None)], ["x"], id="a long option yields what the table maps it to"),
    pytest.param(["--regexp=a=b"], [("e", "a=b")], [], id="a long option's value follows the first ="),
    pytest.param(["--regexp="], [("e", "")], [], id="and may be empty"),
    pytest.param([], [], [], id="no arguments, nothing"),
])
def test_the_scanner_yields_the_options_in_order_and_collects_the_operands(args, options, operands):
    assert _scan(args) == (options, operands)


@pytest.mark.parametrize("args, options, operands", [
    pytest.param(["-5", "f"], [("n", "5")], ["f"], id="a whole -NUM stands for the option given as number"),
    pytest.param(["-n", "-5"], [("n", "-5")], [], id="but as a value it is just a value"),
    pytest.param(["-5v"], [("5", None), ("v", None)], [], id="-NUM with a letter after it is a cluster"),
])
def test_heads_old_minus_number(args, options, operands):
    assert _scan(args, spec="n:v5", number="n") == (options, operands)


@pytest.mark.parametrize("args, message, option, missing", [
    pytest.param(["-ik"], "grep: invalid option -- 'k'\n", "-k", False, id="an unknown short option"),
    pytest.param(["-:"], "grep: invalid option -- ':'\n", "-:", False, id="a colon is never an option"),
    pytest.param(["-5"], "grep: invalid option -- '5'\n", "-5", False,
                 id="-NUM without the hook is a letter too"),
    pytest.param(["-i", "-m"], "grep: option requires an argument -- 'm'\n", "-m", True,
                 id="a missing value"),
    pytest.param(["--color=auto"], "grep: unrecognized option '--color=auto'\n", "--color=auto", False,
                 id="an unknown long option, as written"),
    pytest.param(["--count=1"], "grep: unrecognized option '--count=1'\n", "--count=1", False,
                 id="a long option without a value that is given one is not recognized"),
    pytest.param(["--regexp", "x"], "grep: option '--regexp' requires an argument\n", "--regexp", True,
                 id="a long option's value comes after = only"),
])
def test_what_getopt_complains_about(args, message, option, missing):
    with pytest.raises(GetoptError) as raised:
        _scan(args)
    error = raised.value
    assert (error.args, error.option, error.missing) == ((message, "grep"), option, missing)
    assert isinstance(error, Usage)  # a tool that lets it through prints it, then its usage


def test_the_scan_stops_at_the_first_complaint_after_what_came_before_it():
    operands, seen = [], []
    with pytest.raises(GetoptError):
        for option in getopt(["-i", "x", "-k", "-c", "y"], "ic", operands, program="grep"):
            seen.append(option)
    assert (seen, operands) == ([("i", None)], ["x"])


@pytest.mark.parametrize("args, what", [
    pytest.param(["-A"], "grep -A", id="an option the program has but the simulation does not model"),
    pytest.param(["-iA3"], "grep -A", id="is said before its value is read"),
])
def test_options_that_are_not_modelled(args, what):
    with pytest.raises(NotModelled, match=f"^{what}$"):
        _scan(args, spec="icA:m:", modelled="icm")


def test_an_unknown_letter_is_getopts_complaint_even_where_only_some_are_modelled():
    with pytest.raises(GetoptError, match="invalid option -- 'k'"):
        _scan(["-k"], spec="icA:m:", modelled="icm")
