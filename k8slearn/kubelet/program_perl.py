"""The Perl one-liner of the documentation's Job example: ``perl -Mbignum=bpi -wle 'print bpi(2000)'``.

The Job page of kubernetes.io runs this program in ``perl:5.34.0``: it prints pi to 2000
significant digits and exits 0, so the pod ends ``Completed`` and the Job ``Complete``. The model
reads Perl's switches the way ``perl`` does (``-wle`` is ``-w``, ``-l`` and ``-e`` with the next
argument as the program; ``-M`` loads a module, here ``bignum`` importing ``bpi``) and runs that
one program:

>>> perl_one_liner(["-Mbignum=bpi", "-wle", "print bpi(20)"])
([('sleep', 0.1), ('print', '3.1415926535897932385'), ('exit', 0)], '')
>>> perl_one_liner(["-Mbignum=bpi", "-le", "print(bpi(3));"])[0][1], perl_one_liner([])
(('print', '3.14'), ([('exit', 0)], ''))
>>> perl_one_liner(["-e", "print 1"])
(None, "'perl -e print 1'")

Any other program is not modelled (the caller keeps the container running and says so in its log).
With no arguments ``perl`` reads its program from standard input, which a container does not
have: it exits 0 at once.

Simplified: one ``-e`` program that is exactly ``print bpi(N)`` (N from 1 to :data:`MAX_DIGITS`);
the run time is a guess (:func:`bpi_seconds`); without ``-l`` Perl prints no final newline, and the
log still shows one whole line (the model has no partial lines); ``-w`` warns about nothing here.

Upstream: none in Kubernetes (this is the workload); perlrun (switch clustering, ``-e``, ``-l``,
``-M``), bignum and Math::BigFloat's ``bpi`` (N significant digits, rounded) in Perl 5.34
"""

from __future__ import annotations

import functools
import re

# The longest pi the model computes (Machin's formula in Python takes about 0.1 s for it); a
# longer one is not modelled.
MAX_DIGITS = 10_000
# How long ``bpi(2000)`` computes, Perl's pure-Perl big numbers on a small node: a guess, not a
# measurement (the Job page says the whole example, image pull included, takes around 10 s).
BPI_2000_SECONDS = 2.0
# What ``perl -Mbignum`` takes to start and load its modules before it computes anything: a guess.
PERL_START_SECONDS = 0.1

_PRINT_BPI = re.compile(r"\s*print\s*(\()?\s*bpi\s*\(\s*(\d+)\s*\)\s*(?(1)\))\s*;?\s*")
_SWITCHES = re.compile(r"-([wl]*)(?:(e)(.*))?", re.DOTALL)  # -w, -l, -wle, -e, -eCODE


def perl_one_liner(args: list[str]) -> tuple[list[tuple] | None, str]:
    """The steps of ``perl ARGS`` (print, sleep and exit, as :mod:`k8slearn.kubelet.process`
    runs them) and "", or None and what is not modelled."""
    if not args:
        return [("exit", 0)], ""
    not_modelled = None, "'" + " ".join(["perl", *args]) + "'"
    program, imports = _read_switches(args)
    match = _PRINT_BPI.fullmatch(program or "")
    if match is None or "bpi" not in imports or not 1 <= int(match.group(2)) <= MAX_DIGITS:
        return not_modelled
    digits = int(match.group(2))
    return [("sleep", bpi_seconds(digits)), ("print", bpi(digits)), ("exit", 0)], ""


def _read_switches(args: list[str]) -> tuple[str | None, set[str]]:
    """The ``-e`` program and what ``-Mbignum=...`` imports, as perl reads its switches (it goes on
    reading them after ``-e``); None as the program if it is not one ``-e`` program alone (a script
    file, arguments for the program, a switch the model does not know).

    >>> _read_switches(["-w", "-l", "-eprint 1"])
    ('print 1', set())
    >>> program, imports = _read_switches(["-wle", "print 1", "-Mbignum=bpi,bexp"]); program, sorted(imports)
    ('print 1', ['bexp', 'bpi'])
    >>> [_read_switches(args)[0] for args in (["-e", "1", "-e", "2"], ["a.pl"], ["-n", "-e", "1"], ["-"])]
    [None, None, None, None]
    """
    program, imports, rest = None, set(), list(args)
    while rest:
        arg = rest.pop(0)
        if arg.startswith("-Mbignum="):
            imports.update(arg[len("-Mbignum="):].split(","))
            continue
        match = _SWITCHES.fullmatch(arg) if arg != "-" else None  # "-": the program from stdin
        if match is None or match.group(2) and (program is not None or not (match.group(3) or rest)):
            return None, imports
        if match.group(2):
            program = match.group(3) or rest.pop(0)
    return program, imports


def bpi_seconds(digits: int) -> float:
    """How long ``print bpi(digits)`` runs: the start, then a time growing with the square of the
    digits (schoolbook big-number arithmetic), :data:`BPI_2000_SECONDS` for the Job example.

    >>> bpi_seconds(20), bpi_seconds(2000), bpi_seconds(10_000)
    (0.1, 2.0, 50.0)
    """
    return round(max(PERL_START_SECONDS, BPI_2000_SECONDS * (digits / 2000) ** 2), 3)


@functools.lru_cache(maxsize=16)
def bpi(digits: int) -> str:
    """Pi to ``digits`` significant digits, rounded, as Perl's ``Math::BigFloat->bpi`` prints it
    (Machin's formula in integers, with guard digits). Remembered: a Job's pods all print the same.

    >>> bpi(1), bpi(3), bpi(10)
    ('3', '3.14', '3.141592654')
    >>> bpi(2000)[-10:], len(bpi(5000))
    ('4780275901', 5001)
    """
    guard = 10
    scale = 10 ** (digits - 1 + guard)

    def arctan_inverse(x: int) -> int:  # arctan(1/x) * scale
        total = term = scale // x
        k, sign = 1, 1
        while term:
            term //= x * x
            k, sign = k + 2, -sign
            total += sign * (term // k)
        return total

    pi = 4 * (4 * arctan_inverse(5) - arctan_inverse(239))
    text = _decimal((pi + 5 * 10 ** (guard - 1)) // 10 ** guard)
    return text[0] + ("." + text[1:] if len(text) > 1 else "")


def _decimal(number: int) -> str:
    """``str(number)`` for a positive integer of any length (Python refuses ``str()`` of one over
    4300 digits), a thousand digits at a time.

    >>> _decimal(10 ** 5000).count("0"), _decimal(1234)
    (5000, '1234')
    """
    chunks = []
    while number:
        number, chunk = divmod(number, 10 ** 1000)
        chunks.append(f"{chunk:01000d}")
    return "".join(reversed(chunks)).lstrip("0") or "0"
