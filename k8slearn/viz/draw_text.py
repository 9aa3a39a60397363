"""The words in the cluster picture: node headers, shortened pod names, owner and Service boxes, the title.

Text in a picture has a fixed room: a node's column fits so many characters, so a long name is
broken after a hyphen or shortened in the middle (the end tells a Deployment's pods apart).
Counts by STATUS are listed most common first, as ``kubectl get pods`` users read them.

>>> _shorten("web-7c4b4cb947-x2x9z", 12)
'web-7…-x2x9z'
>>> _shorten("kube-controller-manager-control-plane", 18, node="control-plane")
'kube-controller-m…'
>>> _fit("kube-controller-manager", 16)
'kube-controller-\\nmanager'
>>> _node_header({"name": "node-2", "status": "NotReady,SchedulingDisabled", "roles": []}, 16)
'node-2\\nNotReady,\\nSchedulingDisabled'
>>> _counts_text({"Running": 3, "Pending": 1, "Error": 1})
'3 Running, 1 Error, 1 Pending'
>>> print(_taints_text(("node-role.kubernetes.io/control-plane:NoSchedule",), 30, 4))
Taints:
node-role.kubernetes.io/
control-plane:NoSchedule

Simplified: character counts stand in for measured text widths.

Upstream: none (a picture); its words follow ``kubectl get nodes`` (STATUS, ROLES) and
``kubectl get pods`` (STATUS).
"""

from __future__ import annotations

import re
from typing import Any

from k8slearn.viz.graph import plural, selector_text
from k8slearn.viz.snapshot import Snapshot


def _shorten(name: str, limit: int, node: str = "") -> str:
    """``name`` in at most ``limit`` characters. A static pod's name ends with its node's name,
    which the column already shows, so that end goes first ("kube-controller-…"); other names
    keep both ends ("web-7c4b…7-x2x9z"), because the end tells a Deployment's pods apart."""
    if len(name) <= limit:
        return name
    if node and name.endswith("-" + node):
        return name[:limit - 1] + "…"
    head = (limit - 1) // 2
    return name[:head] + "…" + name[len(name) - (limit - 1 - head):]


def _fit(name: str, chars: int) -> str:
    """``name`` on one line if it fits in ``chars``, else broken after a hyphen, else shortened."""
    if len(name) <= chars:
        return name
    cut = name.rfind("-", 0, chars + 1)
    if cut > 0 and len(name) - cut - 1 <= chars:
        return name[:cut + 1] + "\n" + name[cut + 1:]
    return _shorten(name, chars)


def _node_header(data: dict, chars: int) -> str:
    """Name, then kubectl's STATUS ("Ready", "NotReady,SchedulingDisabled"), then roles the name lacks."""
    status = data["status"].replace(",", ",\n")
    roles = [r for r in data["roles"] if r not in data["name"]]
    role = f"\n({', '.join(roles)})" if roles else ""
    return f"{_fit(data['name'], chars)}\n{status}{role}"


def _taint_lines(taint: str, chars: int) -> list | None:
    """One taint (``key=value:Effect``) in lines of at most ``chars`` characters, broken only where
    its parts meet: after the key's prefix, before ``=value`` and before ``:Effect``; None if one
    part is longer than a line.

    >>> _taint_lines("node.kubernetes.io/unreachable:NoExecute", 24)
    ['node.kubernetes.io/', 'unreachable:NoExecute']
    >>> _taint_lines("dedicated=infra:NoExecute", 20), _taint_lines("node-role.kubernetes.io/x:NoSchedule", 20)
    (['dedicated=infra', ':NoExecute'], None)
    """
    lines: list = []
    for part in re.split(r"(?<=/)|(?==)|(?=:)", taint):
        if len(part) > chars:
            return None
        if lines and len(lines[-1]) + len(part) <= chars:
            lines[-1] += part
        else:
            lines.append(part)
    return lines


def _taints_text(taints: tuple, chars: int, lines: int) -> str:
    """A node's taints under its box, in at most ``lines`` lines of ``chars`` characters, as
    ``kubectl describe node`` lists them ("Taints:", then one ``key=value:Effect`` each, in spec
    order). Those that do not fit are counted ("+2 more"); in a column too narrow for any, only
    the count is left ("3 taints"), or nothing at all.

    >>> _taints_text(("node.kubernetes.io/unreachable:NoExecute",
    ...               "node.kubernetes.io/unreachable:NoSchedule"), 24, 4)
    'Taints:\\nnode.kubernetes.io/\\nunreachable:NoExecute\\n+1 more'
    >>> _taints_text(("dedicated=infra:NoExecute", "a=b:NoSchedule"), 8, 4), _taints_text(("a:NoSchedule",), 3, 4)
    ('2 taints', '')
    """
    if not taints or lines < 1:
        return ""
    shown: list = ["Taints:"]
    count = 0                                           # taints shown whole
    for taint in taints:
        piece = _taint_lines(taint, chars)
        more = 1 if count < len(taints) - 1 else 0      # room for "+N more" while later taints wait
        if piece is None or len(shown) + len(piece) + more > lines:
            break
        shown += piece
        count += 1
    if count == len(taints):
        return "\n".join(shown)
    if count:
        return "\n".join(shown + [f"+{len(taints) - count} more"])
    total = plural(len(taints), "taint")
    return total if len(total) <= chars else ""


def _by_count(statuses: dict) -> list:
    """(status, count) pairs, most common first."""
    return sorted(statuses.items(), key=lambda kv: (-kv[1], kv[0]))


def _counts_text(statuses: dict) -> str:
    return ", ".join(f"{n} {s}" for s, n in _by_count(statuses))


def _box_text(data: dict) -> str:
    if data["kind"] == "service":
        selects = f"selects {plural(data['pods'], 'pod')}" if data["selector"] else "no selector"
        return f"svc {data['name']}\n{data['type']} · {selects}"
    counts = _counts_text(data["statuses"])
    return f"{data['owner_kind']} {data['name']}\n{plural(data['pods'], 'pod')}: {counts}"


def _title(snap: Snapshot, namespace: Any, selector: Any) -> str:
    parts = [f"Cluster at t = {snap.now:.1f} s"]
    if namespace:
        parts.append(f"namespace {namespace}")
    if selector:
        parts.append(f"pods {selector_text(selector)}")
    return "   ·   ".join(parts)
