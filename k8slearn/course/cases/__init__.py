"""The course's case tables, one module per topic, looked up by name.

``TABLES`` maps a table's name to its :class:`CaseTable`; notebooks write
``check(my_fn, "labels.selector_matches")`` and the unit tests run the same table against the
package's implementation. To add a table, write it in a topic module and add it to ``_ALL``.

>>> sorted(TABLES)[:2]
['age.human_duration', 'daemonset.daemon_pod_count']
>>> len(get_table("labels.selector_matches")) >= 10
True

Upstream: none (course machinery)
"""

from __future__ import annotations

import difflib
from typing import Any

from k8slearn.course.cases.age import HUMAN_DURATION
from k8slearn.course.cases.controllers import REPLICA_DIFF, ROLLOUT_BOUNDS
from k8slearn.course.cases.daemonset import DAEMON_POD_COUNT
from k8slearn.course.cases.etcd import KEY_FOR
from k8slearn.course.cases.labels import SELECTOR_MATCHES
from k8slearn.course.cases.metadata import IS_VALID_LABEL_VALUE
from k8slearn.course.cases.pod_flow import NODE_FOR_IP, WHO_DOES
from k8slearn.course.cases.pod_status import DISPLAY_STATUS
from k8slearn.course.cases.scheduling import SCHEDULING_TABLES
from k8slearn.course.cases.table import Case, CaseTable, call_with_args, same, show_value
from k8slearn.course.cases.yaml_json import YAML_TO_JSON

__all__ = ["Case", "CaseTable", "TABLES", "call_with_args", "get_table", "same", "show_value",
           "unknown_table"]

_ALL = [SELECTOR_MATCHES, YAML_TO_JSON, KEY_FOR, DISPLAY_STATUS, HUMAN_DURATION]
_ALL += [WHO_DOES, NODE_FOR_IP, IS_VALID_LABEL_VALUE]  # chapters 04 and 05
_ALL += [REPLICA_DIFF, ROLLOUT_BOUNDS, DAEMON_POD_COUNT]  # chapters 01 and 07
_ALL += SCHEDULING_TABLES  # chapter 06

TABLES: dict[str, CaseTable] = {table.name: table for table in _ALL}


def get_table(table: str | CaseTable) -> CaseTable:
    """The table itself, or the table of that name (a KeyError lists the known names)."""
    if isinstance(table, CaseTable):
        return table
    if isinstance(table, str) and table in TABLES:
        return TABLES[table]
    raise KeyError(f"{unknown_table(table)}; the tables are: {', '.join(sorted(TABLES))}")


def unknown_table(name: Any) -> str:
    """Why ``name`` finds no case table, in words, with the closest name when there is one.

    >>> unknown_table("labels.selector_match")
    "no case table is named 'labels.selector_match' (did you mean 'labels.selector_matches'?)"
    >>> unknown_table(len)
    "a case table is named by a str, as in check(answer, 'labels.selector_matches')"
    """
    if not isinstance(name, str):
        return "a case table is named by a str, as in check(answer, 'labels.selector_matches')"
    close = difflib.get_close_matches(name, list(TABLES), n=1)
    return f"no case table is named {name!r}" + (f" (did you mean {close[0]!r}?)" if close else "")
