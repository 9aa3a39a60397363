"""``head``, ``tail``, ``wc``, ``printf`` and ``seq`` in a simulated container, as BusyBox 1.36
and GNU coreutils 9.1 print them (``wc``'s columns: BusyBox pads to 9, GNU sizes them from the
files' sizes, 7 wide for a pipe).

Upstream: none in Kubernetes (the workloads' tools): BusyBox coreutils (head.c, tail.c, wc.c,
printf.c, seq.c), GNU coreutils 9.1 (wc's compute_number_width)
"""

from __future__ import annotations

import re

from k8slearn.kubelet.exec_common import GetoptError, NotModelled, Printer, getopt, open_error, read_file


def _head_tail(tail: bool):
    """head/tail [-n [+-]N | -c [+-]N | -N] [-qv] [FILE]...: the first (last) lines or bytes;
    ``head -n -N`` all but the last N, ``tail -n +N`` from the Nth on; a header per file when
    there are several."""
    name = "tail" if tail else "head"

    def tool(args, stdin, ctx):
        mode, sign, count, header, paths = "n", "", 10, None, []
        options = getopt(args, "n:c:qvfF" if tail else "n:c:qv", paths, program=name, number="n")
        try:
            for option, value in options:
                if option in "nc":
                    number = re.fullmatch(r"([+-]?)(\d+)", value)
                    if number is None:
                        raise NotModelled(f"{name} -{option} {value}".rstrip())
                    mode, sign, count = option, number.group(1), int(number.group(2))
                elif option in "qv":
                    header = option == "v"
                else:  # tail's -f, -F
                    raise NotModelled("following a file (tail -f) in kubectl exec")
        except GetoptError as error:  # other options and long ones: not modelled
            raise NotModelled(f"{name} {error.option}") from None
        targets = paths or ["-"]
        if header is None:
            header = len(targets) > 1
        printer, code, first = Printer(), 0, True
        for path in targets:
            if path == "-":
                text, stdin, label = stdin, "", "standard input"
            else:
                text, problem = read_file(path, ctx)
                label = path
                if problem == "dir":
                    raise NotModelled(f"{name} of a directory")
                if problem == "missing":
                    code = 1
                    printer.err(open_error(name, path, ctx.busybox))
                    continue
            if header:
                printer.out(("" if first else "\n") + f"==> {label} <==\n")
                first = False
            printer.out(_part(text, mode, sign, count, tail))
        return printer.done(code)
    return tool


def _part(text: str, mode: str, sign: str, count: int, tail: bool) -> str:
    items = text.encode() if mode == "c" else text.splitlines(keepends=True)
    if tail:
        part = items[max(count - 1, 0):] if sign == "+" else (items[-count:] if count else items[:0])
    else:
        part = (items[:-count] if count else items) if sign == "-" else items[:count]
    return part.decode(errors="replace") if mode == "c" else "".join(part)


def _wc(args, stdin, ctx):
    """wc [-lwmc] [FILE]...: the counts of stdin, or of each file then their total (after its
    name), in BusyBox's columns (``%9``) or GNU's (as wide as the files' total size, 7 for a pipe)."""
    flags, paths, options = "", [], True
    longs = {"--lines": "l", "--words": "w", "--bytes": "c", "--chars": "m"}
    for arg in args:
        if options and arg == "--":
            options = False
        elif options and arg.startswith("--"):
            if ctx.busybox or arg not in longs:
                raise NotModelled(f"wc {arg}")
            flags += longs[arg]
        elif options and arg.startswith("-") and arg != "-":
            if arg.strip("-lwmc"):
                raise NotModelled(f"wc {arg}")
            flags += arg[1:]
        else:
            paths.append(arg)
    shown = [f for f in "lwmc" if f in flags] or ["l", "w", "c"]
    inputs: list[tuple[str, str | None, str]] = []  # (name, text or None: failed, its error)
    for path in paths or [""]:
        if path in ("", "-"):
            text, stdin = stdin, ""
            inputs.append((path, text, ""))
            continue
        text, problem = read_file(path, ctx)
        if problem == "dir":
            raise NotModelled("wc of a directory")
        error = (f"wc: {path}: No such file or directory\n" if problem else "")
        inputs.append((path, text, error))

    def counts(text: str) -> list[int]:
        size = len(text.encode())  # (no locale is set in the images: a character is a byte)
        every = {"l": text.count("\n"), "w": len(text.split()), "m": size, "c": size}
        return [every[f] for f in shown]

    if ctx.busybox:
        first = "%d" if len(inputs) == 1 and len(shown) == 1 else "%9d"
        width = None
    else:
        width = _gnu_wc_width(inputs, len(shown))
    printer, code, totals, total_of = Printer(), 0, [0] * len(shown), 0
    for path, text, error in inputs:
        if text is None:
            code = 1
            printer.err(error)
            continue
        values = counts(text)
        totals = [t + v for t, v in zip(totals, values)]
        total_of += 1
        printer.out(_wc_line(values, path, first if width is None else None, width))
    if len(inputs) > 1:
        printer.out(_wc_line(totals, "total", first if width is None else None, width))
    return printer.done(code)


def _wc_line(values: list[int], name: str, busybox_first: str | None, width: int | None) -> str:
    if busybox_first is not None:
        text = busybox_first % values[0] + "".join(f" {v:9d}" for v in values[1:])
    else:
        text = " ".join(f"{v:{width}d}" for v in values)
    return f"{text} {name}\n" if name else f"{text}\n"


def _gnu_wc_width(inputs: list, shown: int) -> int:
    """GNU wc's column width (compute_number_width): 1 for one input with one count, or when the
    first input cannot be read; else the digits of the regular files' total size, at least 7
    when an input is no regular file (a pipe, a device)."""
    if len(inputs) == 1 and shown == 1 or inputs[0][1] is None:
        return 1
    minimum, total = 1, 0
    for path, text, _ in inputs:
        if text is None:
            continue
        if path in ("", "-") or path.startswith("/dev/"):
            minimum = 7
        elif not path.startswith(("/proc/", "/sys/")):  # (the kernel's files have size 0)
            total += len(text.encode())
    return max(len(str(total)), minimum)


_PRINTF_SPEC = re.compile(r"%([-+ #0]*)(\d*)(?:\.(\d*))?([diouxXcsfeEgGb%])")

_PRINTF_ESCAPES = {"\\": "\\", "a": "\a", "b": "\b", "f": "\f", "n": "\n", "r": "\r", "t": "\t", "v": "\v",
                   '"': '"'}


def _printf(args, stdin, ctx):
    """printf FORMAT [ARG]...: %s %b %c %d %i %o %u %x %X %e %f %g with flags, width and
    precision, and backslash escapes; the format is used again while arguments are left."""
    if args[:1] == ["--"]:
        args = args[1:]
    if not args or (args[0].startswith("-") and args[0] != "-"):
        raise NotModelled("printf without a format" if not args else f"printf {args[0]}")
    fmt, rest, out = args[0], list(args[1:]), []
    while True:
        text, used = _printf_once(fmt, rest)
        out.append(text)
        rest = rest[used:]
        if not rest:
            break
        if not used:
            raise NotModelled("printf with more arguments than its format uses")
    return 0, "".join(out), ""


def _printf_once(fmt: str, args: list[str]) -> tuple[str, int]:
    out, i, taken = [], 0, 0
    while i < len(fmt):
        c = fmt[i]
        if c == "\\":
            text, i = _escape(fmt, i, octal_digits=3)
            out.append(text)
            continue
        if c != "%":
            out.append(c)
            i += 1
            continue
        spec = _PRINTF_SPEC.match(fmt, i)
        if spec is None:
            raise NotModelled(f"the printf format {fmt!r}")
        flags, width, precision, conversion = spec.groups()
        i = spec.end()
        if conversion == "%":
            out.append("%")
            continue
        arg = args[taken] if taken < len(args) else None
        taken += 1
        form = "%" + flags + width + ("." + precision if precision is not None else "")
        if conversion in "scb":
            value = arg or ""
            if conversion == "c":
                value = value[:1]
            elif conversion == "b":
                value = _escapes(value)
            out.append((form + "s") % value)
        elif conversion in "diouxX":
            number = 0 if arg is None else _printf_integer(arg)
            if (conversion == "u" and number < 0) or ("#" in flags and conversion == "o"):
                raise NotModelled(f"printf %{flags}{conversion} of {arg}")
            out.append((form + {"i": "d", "u": "d"}.get(conversion, conversion)) % number)
        else:
            if arg is not None and not re.fullmatch(r"[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?", arg.strip()):
                raise NotModelled(f"printf %{conversion} of {arg!r}")
            out.append((form + conversion) % float(arg or 0))
    return "".join(out), min(taken, len(args))


def _printf_integer(arg: str) -> int:
    """A number as the C library reads it for printf (``010`` is octal, ``0x1f`` hexadecimal)."""
    text = arg.strip()
    if re.fullmatch(r"[+-]?(0|[1-9]\d*)", text):
        return int(text)
    if re.fullmatch(r"[+-]?0[0-7]+", text):
        return int(text, 8)
    if re.fullmatch(r"[+-]?0[xX][0-9a-fA-F]+", text):
        return int(text, 16)
    raise NotModelled(f"printf of the number {arg!r}")


def _escape(text: str, i: int, octal_digits: int) -> tuple[str, int]:
    """The backslash escape at ``text[i]``: (its character, where the text goes on)."""
    d = text[i + 1:i + 2]
    if d in _PRINTF_ESCAPES:
        return _PRINTF_ESCAPES[d], i + 2
    octal = re.match(r"[0-7]{1,%d}" % octal_digits, text[i + 1:])
    if octal is not None:
        return chr(int(octal.group(), 8)), i + 1 + octal.end()
    raise NotModelled(f"the escape \\{d} in printf" if d else "printf of a lone backslash")


def _escapes(value: str) -> str:
    """printf's %b: the argument's backslash escapes (``\\0NNN`` octal)."""
    out, i = [], 0
    while i < len(value):
        if value[i] != "\\":
            out.append(value[i])
            i += 1
            continue
        if value[i + 1:i + 2] == "0":
            octal = re.match(r"[0-7]{0,3}", value[i + 2:])
            out.append(chr(int(octal.group() or "0", 8)))
            i += 2 + octal.end()
            continue
        if value[i + 1:i + 2] == "c" or value[i + 1:i + 2].isdigit():
            raise NotModelled(f"printf %b of {value!r}")
        text, i = _escape(value, i, octal_digits=0) if value[i + 1:i + 2] in _PRINTF_ESCAPES else \
            (value[i:i + 2], i + 2)
        out.append(text)
    return "".join(out)


MAX_SEQ = 100_000  # a longer sequence is not simulated


def _seq(args, stdin, ctx):
    """seq [-w] [-s SEP] [FIRST [INCREMENT]] LAST: whole numbers, one a line (or SEP between them)."""
    separator, equal, numbers, i = "\n", False, [], 0
    while i < len(args):
        arg = args[i]
        i += 1
        if numbers or re.fullmatch(r"[+-]?\d+", arg):
            numbers.append(arg)
        elif arg == "-w":
            equal = True
        elif arg.startswith("-s") and (arg[2:] or i < len(args)):
            separator = arg[2:] or args[i]
            i += not arg[2:]
        elif arg != "--":
            raise NotModelled("seq " + " ".join(args))
    if not 1 <= len(numbers) <= 3 or not all(re.fullmatch(r"[+-]?\d+", n) for n in numbers):
        raise NotModelled("seq " + " ".join(args))
    values = [int(n) for n in numbers]
    first, step, last = (1, 1, values[0]) if len(values) == 1 else \
        (values[0], 1, values[1]) if len(values) == 2 else tuple(values)
    if step == 0 or (last - first) // step + 1 > MAX_SEQ or (equal and min(first, last) < 0):
        raise NotModelled("seq " + " ".join(args))
    texts = [str(n) for n in range(first, last + (1 if step > 0 else -1), step)]
    if equal:
        width = max(len(str(first)), len(str(last)))
        texts = [t.zfill(width) for t in texts]
    return 0, separator.join(texts) + "\n" if texts else "", ""
