"""The course's chapter list: the order, titles and summaries of the notebooks.

This is course machinery, not a model of a Kubernetes component. It is the one place that
says which notebooks make up the course and in what order; ``tools/make_nav.py`` generates
every notebook's navigation cells from it, and the welcome notebook shows
``course_map_markdown()``. A chapter is "ready" when its notebook exists in ``notebooks/``,
otherwise "planned".

Simplifies: nothing to simplify; the list follows the roadmap table in DESIGN.md.

Worked example (statuses depend on which notebooks exist in the directory you pass):

>>> import tempfile, pathlib
>>> d = pathlib.Path(tempfile.mkdtemp())
>>> _ = (d / "00_welcome.ipynb").write_text("{}")
>>> [c.stem for c in chapters(d) if c.status == "ready"]
['00_welcome']
>>> chapters(d)[3].title, chapters(d)[3].status
('Architecture', 'planned')
>>> print(course_map_markdown(d).splitlines()[2])
| 00 | [Welcome](00_welcome.ipynb) | How to use the course, its widgets and this map | ready |

Upstream: none (course machinery; mirrors the roadmap table in DESIGN.md)
"""

from __future__ import annotations

from pathlib import Path
from typing import NamedTuple

NOTEBOOKS_DIR = Path(__file__).resolve().parents[2] / "notebooks"
"""Where the course notebooks live in a source checkout (``<repo>/notebooks``)."""

READY = "ready"
PLANNED = "planned"


class Chapter(NamedTuple):
    """One notebook of the course: ``notebooks/<stem>.ipynb``."""

    stem: str
    title: str
    summary: str
    status: str

    @property
    def filename(self) -> str:
        """The notebook's file name, as used in relative links between notebooks."""
        return self.stem + ".ipynb"

    @property
    def number(self) -> str:
        """The chapter number shown in the course map ("00".."10"), or "A" for appendices."""
        head = self.stem.split("_", 1)[0]
        return head if head.isdigit() else head[:1].upper()


# (stem, title, summary): the roadmap table of DESIGN.md, in reading order.
_ROADMAP: tuple[tuple[str, str, str], ...] = (
    ("00_welcome", "Welcome", "How to use the course, its widgets and this map"),
    ("01_why_kubernetes", "Why Kubernetes",
     "Containers across machines, self-healing, load balancing"),
    ("02_cicd", "CI/CD", "CI (merge often), CD (build, test, deploy), risk and gates, rollout"),
    ("03_architecture", "Architecture",
     "Microservices talking JSON over an API; YAML to JSON; control plane and workers"),
    ("04_pod_creation_flow", "Pod creation flow",
     "kubectl → API server → etcd → scheduler → bind → kubelet → runtime → status"),
    ("05_pods_labels_annotations", "Pods, labels and annotations",
     "Containers sharing a sandbox (pause), one IP, localhost; labels select, annotations describe"),
    ("06_scheduling", "Scheduling",
     "Filtering and scoring, requests, taints and tolerations, affinity, why not this node"),
    ("07_controllers_daemonsets", "Controllers and DaemonSets",
     "Reconcile loops, ReplicaSet and Deployment, a DaemonSet pod on every node, nodes joining"),
    ("08_networking_cni", "Networking and CNI",
     "Pod CIDRs, the CNI spec, flannel and weave as DaemonSets, kube-proxy Services, packet path"),
    ("09_etcd_raft", "etcd and Raft",
     "MVCC, compaction, backup and restore; leader and followers, elections, quorum"),
    ("10_self_healing_capstone", "Self-healing capstone",
     "Node failure, eviction, rescheduling; a Rancher-style dashboard; the capstone"),
    ("appendix_glossary", "Glossary", "Terms in English and Korean"),
)


def chapters(notebook_dir: Path | str | None = None) -> list[Chapter]:
    """Every chapter in reading order, with its status read from ``notebook_dir``.

    ``notebook_dir`` defaults to the checkout's ``notebooks/`` directory.
    """
    where = Path(notebook_dir) if notebook_dir is not None else NOTEBOOKS_DIR
    return [
        Chapter(stem, title, summary, READY if (where / f"{stem}.ipynb").is_file() else PLANNED)
        for stem, title, summary in _ROADMAP
    ]


CHAPTERS: list[Chapter] = chapters()
"""The chapters with their status at import time (see ``chapters()`` for a fresh look)."""


def course_map_markdown(notebook_dir: Path | str | None = None) -> str:
    """A markdown table of all chapters; ready ones link to their notebook.

    ``tools/make_nav.py`` writes it into the welcome notebook's cell tagged ``course-map``.
    """
    lines = ["| # | chapter | what you learn | status |", "|---|---|---|---|"]
    for chapter in chapters(notebook_dir):
        name = chapter.title
        if chapter.status == READY:
            name = f"[{chapter.title}]({chapter.filename})"
        lines.append(f"| {chapter.number} | {name} | {chapter.summary} | {chapter.status} |")
    return "\n".join(lines)
