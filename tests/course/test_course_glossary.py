"""The glossary covers every concept of the seed notes, with their Korean terms, and corrects their slips."""

import os
import pathlib

import pytest

from k8slearn.course import GLOSSARY, glossary_table


def seed_notes():
    """The study notes the course grew from, in shared/seed beside the repository (or $K8SLEARN_SHARED)."""
    here = pathlib.Path(__file__).resolve()
    roots = [pathlib.Path(os.environ["K8SLEARN_SHARED"])] if "K8SLEARN_SHARED" in os.environ else []
    roots += [here.parents[3] / "shared", here.parents[2] / "shared"]
    for root in roots:
        path = root / "seed" / "kubernetes-architecture-notes.ko.md"
        if path.exists():
            return path.read_text(encoding="utf-8")
    return None


# (how the notes write it, the glossary entry that explains it)
SEED_TERMS = [
    ("도커", "Docker"),
    ("vm", "virtual machine"),
    ("pod", "pod"),
    ("로드벨런싱", "load balancing"),
    ("CI 지속적 통합", "CI"),
    ("지속적 전달/배포", "CD"),
    ("devops", "DevOps"),
    ("branch", "branch"),
    ("commit", "commit"),
    ("빌드 - 테스트 - 배포", "pipeline"),
    ("빌드", "build"),
    ("배포", "deployment (release)"),
    ("MSA", "microservice architecture"),
    ("이벤트", "event"),
    ("API", "API"),
    ("json", "JSON"),
    ("yaml", "YAML"),
    ("kube ctrl", "kubectl"),
    ("API 서버", "API server"),
    ("Scheduler", "scheduler"),
    ("노드", "node"),
    ("Kubelet", "kubelet"),
    ("container spec", "pod spec"),
    ("EICD", "etcd"),
    ("ochestration", "orchestration"),
    ("operators", "operator"),
    ("controller", "controller"),
    ("deamon set", "DaemonSet"),
    ("log수집", "log collection"),
    ("모니터링", "monitoring"),
    ("apm", "APM"),
    ("label", "label"),
    ("annotation", "annotation"),
    ("Rancher", "Rancher"),
    ("Scheduling", "scheduling"),
    ("Filtering", "filtering"),
    ("Scoring", "scoring"),
    ("ETCD", "etcd"),
    ("백업", "backup"),
    ("compaction", "compaction"),
    ("Leader", "leader"),
    ("follower", "follower"),
    ("worker node", "worker node"),
    ("컨테이너 런타임", "container runtime"),
    ("kube-proxy", "kube-proxy"),
    ("서비스", "Service"),
    ("컨테이너", "container"),
    ("파일시스템", "file system"),
    ("리눅스 네임스페이스", "Linux namespace"),
    ("ip", "IP address"),
    ("localhost", "localhost"),
    ("pause container", "pause container"),
    ("CNI", "CNI"),
    ("Weave", "Weave Net"),
    ("fainnel", "Flannel"),
    ("k8s", "Kubernetes"),
]


@pytest.mark.parametrize("phrase, term", SEED_TERMS,
                         ids=[f"the notes' {p!r} is the entry {t}" for p, t in SEED_TERMS])
def test_every_concept_of_the_notes_has_a_glossary_entry(phrase, term):
    korean, definition = GLOSSARY[term]
    assert korean and definition
    notes = seed_notes()
    if notes is not None:
        assert phrase.lower() in notes.lower(), f"{phrase!r} is not in the seed notes any more"


KOREAN = [
    ("orchestration", "오케스트레이션"), ("controller", "컨트롤러"), ("DaemonSet", "데몬셋"),
    ("label", "레이블"), ("annotation", "어노테이션"), ("scheduling", "스케줄링"),
    ("filtering", "필터링"), ("scoring", "스코어링"), ("compaction", "컴팩션"), ("leader", "리더"),
    ("follower", "팔로워"), ("worker node", "워커 노드"), ("kubelet", "큐블릿"),
    ("container runtime", "컨테이너 런타임"), ("pod", "파드"), ("CI", "지속적 통합"), ("CD", "지속적 전달/배포"),
]


@pytest.mark.parametrize("term, korean", KOREAN, ids=[f"{t} is {k} in Korean" for t, k in KOREAN])
def test_the_korean_terms_are_the_courses(term, korean):
    assert GLOSSARY[term].korean == korean


CORRECTIONS = [
    ("a DaemonSet runs a pod on every eligible node, not on one", "DaemonSet", ["every eligible node"]),
    ("filtering picks candidate nodes, not pods", "filtering", ["candidate nodes"]),
    ("scoring ranks nodes", "scoring", ["candidate nodes"]),
    ("compaction discards old revisions, unlike an LRU queue", "compaction",
     ["revisions", "not an LRU queue"]),
    ("the kubelet talks to containerd or CRI-O through the CRI", "kubelet", ["CRI (containerd or CRI-O)"]),
    ("orchestration has no conductor", "orchestration", ["no conductor"]),
]


@pytest.mark.parametrize("name, term, phrases", CORRECTIONS, ids=[c[0] for c in CORRECTIONS])
def test_the_definitions_correct_the_notes_slips(name, term, phrases):
    for phrase in phrases:
        assert phrase in GLOSSARY[term].definition


def test_every_definition_is_one_line_ending_with_a_full_stop():
    for term, (korean, definition) in GLOSSARY.items():
        assert "\n" not in definition and definition.endswith("."), term
        assert len(definition) <= 200, term


def test_the_glossary_table_is_markdown_sorted_by_english_term():
    lines = glossary_table().splitlines()
    assert lines[:2] == ["| English | 한국어 | Definition |", "|---|---|---|"]
    assert len(lines) == 2 + len(GLOSSARY)
    terms = [line.split(" | ")[0][2:] for line in lines[2:]]
    assert terms == sorted(GLOSSARY, key=str.casefold)


def test_the_glossary_table_of_chosen_terms_keeps_their_order():
    lines = glossary_table(["pod", "etcd"]).splitlines()
    assert [line.split(" | ")[0] for line in lines[2:]] == ["| pod", "| etcd"]


def test_an_unknown_term_is_named_in_the_error():
    with pytest.raises(KeyError, match="not in the glossary: podd"):
        glossary_table(["pod", "podd"])
