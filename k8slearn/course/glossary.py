"""The course glossary: each English term with its Korean term and a one-line definition.

Built from the study notes the course grew from (``seed/kubernetes-architecture-notes.ko.md``):
every concept they name is here, with their Korean terms. Where the notes were loose, the
definition says what Kubernetes really does: a DaemonSet runs one pod on *every* eligible
node; filtering picks candidate *nodes* for a pod; etcd compaction discards old revisions and
is not an LRU queue; the kubelet talks to containerd or CRI-O through the CRI.

>>> GLOSSARY["DaemonSet"].korean
'데몬셋'
>>> korean, definition = GLOSSARY["pod"]
>>> print(glossary_table(["pod"]).splitlines()[2])
| pod | 파드 | The smallest unit Kubernetes schedules: one or more containers on one node sharing a network namespace (one IP, localhost) and volumes. |

Upstream: kubernetes/website content/en/docs/reference/glossary and content/ko (the Korean
localization's terms)
"""

from __future__ import annotations

from typing import Iterable, NamedTuple

__all__ = ["GLOSSARY", "Term", "glossary_table"]


class Term(NamedTuple):
    korean: str
    definition: str


T = Term

GLOSSARY: dict[str, Term] = {
    # -- why Kubernetes ---------------------------------------------------------------------------
    "Kubernetes": T(
        "쿠버네티스",
        "An open-source system that runs containers across a cluster of machines and keeps them in the state you declared; often written k8s.",
    ),
    "container": T(
        "컨테이너",
        "A process isolated by Linux namespaces and cgroups, started from an image that carries its files.",
    ),
    "container image": T(
        "컨테이너 이미지",
        "A packaged file system plus metadata from which a runtime starts containers, such as nginx:1.27.",
    ),
    "Docker": T(
        "도커",
        "A tool that builds and runs containers; Kubernetes drove it through dockershim until v1.24 and now talks to CRI runtimes such as containerd.",
    ),
    "virtual machine": T(
        "가상 머신",
        "An emulated computer with its own kernel; a Kubernetes node may be a VM or a physical machine.",
    ),
    "self-healing": T(
        "자가 치유",
        "Controllers notice that what runs differs from what was declared (a pod or node died) and create replacements on healthy nodes.",
    ),
    "load balancing": T(
        "로드 밸런싱",
        "Spreading requests over several pods; a Service's virtual IP does it, with kube-proxy rules choosing a backend pod.",
    ),
    # -- CI/CD ------------------------------------------------------------------------------------
    "CI": T(
        "지속적 통합",
        "Continuous integration: developers merge their branches into main often, and each merge is built and tested automatically so problems show early.",
    ),
    "CD": T(
        "지속적 전달/배포",
        "Continuous delivery/deployment: each change that passes build and test is made ready to release (delivery) or released automatically (deployment).",
    ),
    "DevOps": T(
        "데브옵스",
        "A way of working in which development and operations share responsibility for building, shipping and running software; a practice, not a tool.",
    ),
    "pipeline": T(
        "파이프라인",
        "The automated build, test and deploy stages a commit goes through in CI/CD, with gates that can stop a risky change.",
    ),
    "branch": T(
        "브랜치",
        "A separate line of development in version control; continuous integration merges branches into main often.",
    ),
    "commit": T(
        "커밋",
        "A recorded change in version control; pushing commits is what starts a CI/CD pipeline.",
    ),
    "build": T(
        "빌드",
        "Turning source code into something runnable, for Kubernetes usually a container image.",
    ),
    "deployment (release)": T(
        "배포",
        "Putting a new version into service; in Kubernetes usually by changing a Deployment's image, which rolls out new pods.",
    ),
    # -- what Kubernetes is -----------------------------------------------------------------------
    "microservice architecture": T(
        "마이크로서비스 아키텍처 (MSA)",
        "Building a system from many small services that talk over the network; Kubernetes itself is built this way.",
    ),
    "event": T(
        "이벤트",
        "A notice that something changed: watches deliver ADDED, MODIFIED and DELETED events, and Event objects (kubectl get events) record what happened.",
    ),
    "API": T(
        "API",
        "Application programming interface; Kubernetes offers a REST API over HTTPS in which every object is a JSON resource.",
    ),
    "JSON": T(
        "JSON",
        "The text format of Kubernetes API objects; kubectl sends JSON (real clusters store built-in objects in etcd as protobuf, this course as JSON).",
    ),
    "YAML": T(
        "YAML",
        "A human-friendly superset of JSON used to write manifests; kubectl converts YAML to JSON before it sends a request.",
    ),
    "manifest": T(
        "매니페스트",
        "A YAML or JSON file that describes the objects you want, applied with kubectl apply -f.",
    ),
    # -- architecture -----------------------------------------------------------------------------
    "kubectl": T(
        "kubectl",
        "The command-line client that turns your commands and manifests into requests to the API server.",
    ),
    "API server": T(
        "API 서버",
        "kube-apiserver: validates and stores objects in etcd, serves them, and lets every component watch them; the only component that talks to etcd.",
    ),
    "control plane": T(
        "컨트롤 플레인",
        "The components that manage the cluster: kube-apiserver, etcd, kube-scheduler and kube-controller-manager.",
    ),
    "scheduler": T(
        "스케줄러",
        "kube-scheduler: watches for pods without a node, chooses a node for each by filtering and scoring nodes, and writes a Binding.",
    ),
    "binding": T(
        "바인딩",
        "The API write with which the scheduler assigns a pod to a node; it sets the pod's spec.nodeName.",
    ),
    "node": T(
        "노드",
        "A machine, virtual or physical, that runs pods; it runs a kubelet, a container runtime and kube-proxy.",
    ),
    "pod spec": T(
        "파드 스펙",
        "The spec part of a pod (containers, images, ports, resources); the kubelet reads it to start the containers.",
    ),
    "etcd": T(
        "etcd",
        "The consistent, replicated key-value store that holds every API object; backing it up backs up the whole cluster state.",
    ),
    # -- main terms of the notes ------------------------------------------------------------------
    "orchestration": T(
        "오케스트레이션",
        "Coordinating containers across machines; in Kubernetes there is no conductor: each component watches the API server and reacts to changes.",
    ),
    "controller": T(
        "컨트롤러",
        "A control loop that watches objects and acts, through the API server, to move the actual state toward the desired state.",
    ),
    "operator": T(
        "오퍼레이터",
        "A controller plus custom resources that automates running one kind of application, such as a database.",
    ),
    "reconcile loop": T(
        "조정 루프",
        "A controller's sync: compare desired and actual state and act on the difference; running it twice changes nothing the second time.",
    ),
    "watch": T(
        "워치",
        "A long-running API request that streams the changes to objects from a resource version on; how components learn about events.",
    ),
    "DaemonSet": T(
        "데몬셋",
        "A workload that runs one copy of a pod on every eligible node (matching its node selector, taints tolerated) and adds one when a node joins.",
    ),
    "drain": T(
        "드레인",
        "Emptying a node for maintenance: kubectl drain cordons it (no new pods) and evicts its pods, which their controllers recreate on other nodes; DaemonSet pods stay.",
    ),
    "eviction": T(
        "축출",
        "Removing a pod from its node: kubectl drain asks through the pods/eviction subresource, which a PodDisruptionBudget may refuse; taint-based eviction deletes pods directly.",
    ),
    "log collection": T(
        "로그 수집",
        "Gathering container logs from every node, typically by an agent run as a DaemonSet.",
    ),
    "monitoring": T(
        "모니터링",
        "Collecting metrics about nodes and pods, typically by a per-node agent run as a DaemonSet.",
    ),
    "APM": T(
        "애플리케이션 성능 모니터링",
        "Application performance monitoring: measuring and tracing applications from inside, often through a per-node agent run as a DaemonSet.",
    ),
    "label": T(
        "레이블",
        "A key/value pair on an object used to select it: Services, ReplicaSets and kubectl -l find pods with label selectors.",
    ),
    "label selector": T(
        "레이블 셀렉터",
        "A query over labels such as app=web,tier!=db or env in (prod); it matches objects whose labels meet every requirement.",
    ),
    "annotation": T(
        "어노테이션",
        "A key/value pair that describes an object for people and tools; unlike a label it cannot be used to select objects.",
    ),
    "Rancher": T("랜처", "A management platform with a web GUI for operating one or more Kubernetes clusters."),
    "scheduling": T(
        "스케줄링",
        "Choosing a node for each pod that has none: filter out the nodes that cannot run it, score the rest, bind the pod to the best one.",
    ),
    "filtering": T(
        "필터링",
        "The scheduler's first phase: remove the nodes that cannot run the pod (too few resources, untolerated taints...), leaving the candidate nodes.",
    ),
    "scoring": T(
        "스코어링",
        "The scheduler's second phase: rank the candidate nodes by weighted plugin scores and pick the highest.",
    ),
    "backup": T(
        "백업",
        "For Kubernetes, an etcd snapshot (etcdctl snapshot save) holds the whole cluster state; restoring it brings every object back.",
    ),
    "compaction": T(
        "컴팩션",
        "etcd discarding the superseded revisions of keys before a given revision while keeping each key's latest value; not an LRU queue.",
    ),
    "revision": T(
        "리비전",
        "etcd's cluster-wide counter, raised by every write; older values stay readable by revision until compaction discards them.",
    ),
    "MVCC": T(
        "다중 버전 동시성 제어",
        "Multi-version concurrency control: etcd keeps past revisions of each key so reads can look back and watches can resume.",
    ),
    "leader": T(
        "리더",
        "The one etcd member that accepts writes and replicates them to the followers; when it fails the followers elect a new leader.",
    ),
    "follower": T(
        "팔로워",
        "An etcd member that replicates the leader's log and passes client writes on to the leader; one becomes leader if the leader fails.",
    ),
    "Raft": T(
        "래프트",
        "The consensus algorithm of etcd: an elected leader replicates a log, and an entry commits once a majority of members has it.",
    ),
    "quorum": T(
        "쿼럼",
        "A majority of etcd members (n/2+1): writes and elections need one, so three members survive one failure.",
    ),
    "worker node": T("워커 노드", "A node that runs application pods, as opposed to the control-plane nodes."),
    "kubelet": T(
        "큐블릿",
        "The agent on every node: it starts the pods bound to its node through the CRI (containerd or CRI-O) and reports pod and node status.",
    ),
    "container runtime": T(
        "컨테이너 런타임",
        "The software that runs containers on a node, such as containerd or CRI-O, driven by the kubelet through the CRI.",
    ),
    "CRI": T(
        "컨테이너 런타임 인터페이스",
        "Container Runtime Interface: the gRPC API between the kubelet and the runtime (RunPodSandbox, CreateContainer, StartContainer...).",
    ),
    "containerd": T(
        "containerd",
        "A container runtime that implements the CRI; the default on most clusters.",
    ),
    "CRI-O": T("CRI-O", "A lightweight container runtime made for Kubernetes that implements the CRI."),
    "kube-proxy": T(
        "kube-proxy",
        "The per-node agent that turns Services and their endpoints into packet rules (iptables, IPVS or nftables) that lead to a backend pod.",
    ),
    "Service": T("서비스", "A stable virtual IP and DNS name in front of the pods a label selector chooses."),
    "pod": T(
        "파드",
        "The smallest unit Kubernetes schedules: one or more containers on one node sharing a network namespace (one IP, localhost) and volumes.",
    ),
    "pause container": T(
        "퍼즈 컨테이너",
        "The tiny container that holds a pod's sandbox: it owns the pod's network namespace, and so its IP, which the app containers join.",
    ),
    "Linux namespace": T(
        "리눅스 네임스페이스",
        "A kernel feature giving processes their own view of network, PIDs, mounts and more; a pod's containers share its network namespace.",
    ),
    "namespace": T(
        "네임스페이스",
        "A Kubernetes scope for object names (default, kube-system...); not the same thing as a Linux namespace.",
    ),
    "file system": T(
        "파일 시스템",
        "The files a container sees: its image's layers plus the volumes mounted into it; containers of a pod share files only through volumes.",
    ),
    "volume": T(
        "볼륨",
        "A directory a pod's containers can mount (an emptyDir, a ConfigMap, a Secret, a persistent volume...); it lives as long as the pod, or longer for a persistent one.",
    ),
    "downward API": T(
        "다운워드 API",
        "The way a container reads facts about its own pod (its name, namespace, labels, IP, resource limits) as environment variables or files, without asking the API server.",
    ),
    "IP address": T(
        "IP 주소",
        "Each pod gets one IP address from its node's pod CIDR, shared by all the pod's containers.",
    ),
    "localhost": T(
        "로컬호스트",
        "The loopback address 127.0.0.1; containers of one pod reach each other on localhost because they share a network namespace.",
    ),
    "CNI": T(
        "컨테이너 네트워크 인터페이스",
        "Container Network Interface: the spec and plugins the runtime calls to give a pod its interface and IP; network plugins run as DaemonSets.",
    ),
    "Weave Net": T(
        "위브 넷",
        "A CNI network plugin, now archived, that ran as a DaemonSet and linked pods across nodes through its own mesh.",
    ),
    "Flannel": T(
        "플란넬",
        "A simple CNI network plugin that gives each node a pod subnet and links nodes with a VXLAN overlay; runs as a DaemonSet.",
    ),
    "Deployment": T(
        "디플로이먼트",
        "A workload that keeps a number of identical pods running through ReplicaSets and replaces them gradually (a rolling update) when its pod template changes.",
    ),
    "ReplicaSet": T(
        "레플리카셋",
        "The controller object that creates or deletes pods until the number matching its selector equals spec.replicas.",
    ),
    "rolling update": T(
        "롤링 업데이트",
        "Replacing old pods with new ones a few at a time, bounded by maxSurge (extra pods allowed) and maxUnavailable (pods that may be missing).",
    ),
    "taint": T(
        "테인트",
        "A mark on a node (key=value:effect) that repels pods unless they tolerate it; NoSchedule keeps new pods off, NoExecute also evicts running ones.",
    ),
    "toleration": T(
        "톨러레이션",
        "A pod's permission to land on (or stay on) a node with a matching taint; it allows, it does not attract.",
    ),
    "informer": T(
        "인포머",
        "A client-side cache that lists a resource once, then watches it, and calls handlers on every change; every controller sees the cluster this way.",
    ),
    "workqueue": T(
        "워크큐",
        "The queue of object keys a controller still has to sync; a key is never processed twice at once, and failures come back after a growing delay.",
    ),
}


def glossary_table(terms: str | Iterable[str] | None = None) -> str:
    """The glossary (or the given terms, in that order) as a Markdown table.

    A single string is one term, not a list of letters. Unknown terms raise KeyError naming
    them; ``|`` in a definition is escaped.

    >>> glossary_table("pod") == glossary_table(["pod"])
    True
    """
    if terms is None:
        chosen = sorted(GLOSSARY, key=str.casefold)
    else:
        chosen = [terms] if isinstance(terms, str) else list(terms)
        unknown = [t for t in chosen if t not in GLOSSARY]
        if unknown:
            raise KeyError(f"not in the glossary: {', '.join(unknown)}")
    rows = ["| English | 한국어 | Definition |", "|---|---|---|"]
    for term in chosen:
        korean, definition = GLOSSARY[term]
        cells = [c.replace("|", "\\|") for c in (term, korean, definition)]
        rows.append(f"| {cells[0]} | {cells[1]} | {cells[2]} |")
    return "\n".join(rows)
