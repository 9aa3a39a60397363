"""``kubectl logs`` options: ``--timestamps``, ``--since``, ``--since-time``, ``--limit-bytes``, ``--tail``.

kubectl turns its flags into a ``PodLogOptions`` (``ToLogOptions``: ``--since`` rounded to whole
seconds, ``--since-time`` parsed as RFC 3339) and checks them (``Validate``); the kubelet then reads
the container's log file as ``ReadLogs`` does: the last ``tailLines`` lines, those written at or
after the ``since`` time, each after its RFC 3339 time if ``timestamps``, cut after ``limitBytes``
bytes.

>>> text = "2026-01-05T09:00:01Z a\\n2026-01-05T09:00:02.5Z b\\n2026-01-05T09:00:04Z c\\n"
>>> shape(text, LogOptions(since=2.0), now=4.0)
'b\\nc\\n'
>>> shape(text, LogOptions(timestamps=True, tail=1), now=4.0)
'2026-01-05T09:00:04Z c\\n'
>>> shape(text, LogOptions(limit_bytes=3), now=4.0)
'a\\nb'
>>> parse_rfc3339("2026-01-05T09:01:00Z"), parse_rfc3339("2026-01-05T10:00:00.5+01:00")
(60.0, 0.5)
>>> parse_rfc3339("yesterday")
Traceback (most recent call last):
...
ValueError: parsing time "yesterday" as "2006-01-02T15:04:05Z07:00": cannot parse "yesterday" as "2006"

Upstream: staging/src/k8s.io/kubectl/pkg/cmd/logs/logs.go (ToLogOptions, Validate),
pkg/kubelet/kuberuntime/logs/logs.go (ReadLogs), Go's time.Parse (its ParseError texts)
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

from k8slearn.api.errors import bad_request
from k8slearn.api.field import go_quote
from k8slearn.api.meta import EPOCH
from k8slearn.kubectl.errors import KubectlError

RFC3339 = "2006-01-02T15:04:05Z07:00"


@dataclass(frozen=True)
class LogOptions:
    """The PodLogOptions kubectl sends: ``since`` is a simulated time (None: the whole log)."""

    timestamps: bool = False
    since: float | None = None
    limit_bytes: int = 0
    tail: int = -1


def log_options(flags: dict, now: float, tail: int) -> LogOptions:
    """kubectl's flags as PodLogOptions, checked as ``LogsOptions.Validate`` does."""
    since_seconds, since_time = flags.get("since") or 0.0, flags.get("since-time") or ""
    if since_time and since_seconds:
        raise KubectlError("at most one of `sinceTime` or `sinceSeconds` may be specified")
    if flags.get("all-containers") and flags.get("container"):
        raise KubectlError(f"--all-containers=true should not be specified with container name {flags['container']}")
    limit = flags.get("limit-bytes") or 0
    if limit < 0:
        raise KubectlError("--limit-bytes must be greater than 0")
    seconds = round(since_seconds) if since_seconds else 0  # (Duration.Round(time.Second))
    if seconds < 0:
        raise KubectlError("--since must be greater than 0")
    if tail < -1:
        raise KubectlError("--tail must be greater than or equal to -1")
    since = None
    if since_time:
        try:
            since = parse_rfc3339(since_time)
        except ValueError as err:
            raise KubectlError(str(err)) from None
    elif seconds:
        since = now - seconds
    return LogOptions(bool(flags.get("timestamps")), since, limit, tail)


def shape(text: str, options: LogOptions, now: float) -> str:
    """``ReadLogs`` over a log read with its timestamps (``<RFC 3339> <line>`` per line)."""
    lines = text.splitlines(keepends=True)
    if options.tail >= 0:
        lines = lines[max(len(lines) - options.tail, 0):] if options.tail else []
    out = []
    for line in lines:
        stamp, _, rest = line.partition(" ")
        if options.since is not None and parse_rfc3339(stamp) < options.since:
            continue
        out.append(line if options.timestamps else rest)
    shaped = "".join(out)
    if options.limit_bytes:
        shaped = shaped.encode("utf-8")[:options.limit_bytes].decode("utf-8", "ignore")
    return shaped


def read_log(cluster, namespace: str, name: str, container: str, previous: bool) -> tuple[str, bool]:
    """The kubelet's answer to a log request, each line after its time: (the log, True), or (the
    text of an error the kubelet wrote after its 200, False: that text is the response's body); an
    error before its 200 (no previous run to show...) is the API server's 400."""
    try:
        return cluster.logs(namespace, name, container, previous=previous, timestamps=True), True
    except ValueError as err:
        if getattr(err, "after_header", False):
            return str(err), False
        raise bad_request(str(err)) from None


def parse_rfc3339(text: str) -> float:
    """``time.Parse(time.RFC3339, text)`` as a simulated time; ValueError with Go's message."""
    def fail(rest: str, element: str) -> ValueError:
        return ValueError(f"parsing time {go_quote(text)} as {go_quote(RFC3339)}: cannot parse "
                          f"{go_quote(rest)} as {go_quote(element)}")

    at, numbers = 0, []
    for element, width in (("2006", 4), ("-", 0), ("01", 2), ("-", 0), ("02", 2), ("T", 0), ("15", 2),
                           (":", 0), ("04", 2), (":", 0), ("05", 2)):
        if not width:
            if not text.startswith(element, at):
                raise fail(text[at:], element)
            at += len(element)
            continue
        digits = text[at:at + width]
        if len(digits) != width or not digits.isdigit():
            raise fail(text[at:], element)
        numbers.append(int(digits))
        at += width
    fraction = re.match(r"\.(\d+)", text[at:])
    nanos = 0
    if fraction:
        nanos = int(fraction.group(1)[:9].ljust(9, "0"))
        at += fraction.end()
    zone = re.match(r"Z|[+-]\d\d:\d\d", text[at:])
    if zone is None:
        raise fail(text[at:], "Z07:00")
    at += zone.end()
    if at != len(text):
        raise ValueError(f"parsing time {go_quote(text)}: extra text: {go_quote(text[at:])}")
    year, month, day, hour, minute, second = numbers
    for name, value, top in (("month", month, 12), ("hour", hour, 23), ("minute", minute, 59),
                             ("second", second, 59)):
        if not (1 if name == "month" else 0) <= value <= top:
            raise ValueError(f"parsing time {go_quote(text)}: {name} out of range")
    if not 1 <= day <= calendar.monthrange(year, month)[1]:
        raise ValueError(f"parsing time {go_quote(text)}: day out of range")
    offset = timedelta(0)
    if zone.group() != "Z":
        sign = -1 if zone.group()[0] == "-" else 1
        offset = sign * timedelta(hours=int(zone.group()[1:3]), minutes=int(zone.group()[4:6]))
    moment = datetime(year, month, day, hour, minute, second, tzinfo=timezone.utc) - offset
    return (moment - EPOCH).total_seconds() + nanos / 1e9
