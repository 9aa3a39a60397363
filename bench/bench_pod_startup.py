"""Pod startup latency (simulated) and the wall time to run it (issue: the pod creation flow).

The upstream SLO: startup latency of schedulable stateless pods, from the pod's creation to all
its containers reported started and observed via watch, excluding image pulls, p99 <= 5 s.
Here: 1,000 pods created at once on 34 worker nodes (~30 pods per node, the density test's
setting), image nginx:1.27 already on every node (so pulls are excluded, as the SLO says).
A second run includes the cold image pulls for comparison.

Run: python bench/bench_pod_startup.py
"""

from __future__ import annotations

import statistics
import time

from k8slearn import Cluster
from k8slearn.api.meta import parse_timestamp

GOAL_P99 = 5.0


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q / 100 * (len(ordered) - 1))))]


def run(pods: int = 1_000, workers: int = 34, prepull: bool = True) -> dict:
    cluster = Cluster(workers=workers, seed=0, cpu="32", memory="64Gi", trace=False)
    if prepull:
        for kubelet in cluster.kubelets.values():
            kubelet.runtime._cache("nginx:1.27")
    running_at: dict[str, float] = {}

    def observe(event_type: str, pod: dict) -> None:
        name = pod["metadata"]["name"]
        statuses = pod.get("status", {}).get("containerStatuses") or []
        if name not in running_at and statuses and all(s.get("started") for s in statuses):
            running_at[name] = cluster.now

    cluster.api.watch("pods", namespace="default", handler=observe)
    wall = time.perf_counter()
    created = {}
    for i in range(pods):
        pod = cluster.api.create(
            {
                "apiVersion": "v1",
                "kind": "Pod",
                "metadata": {"name": f"pod-{i:04d}"},
                "spec": {
                    "containers": [
                        {
                            "name": "app",
                            "image": "nginx:1.27",
                            "resources": {"requests": {"cpu": "100m", "memory": "64Mi"}},
                        }
                    ]
                },
            }
        )
        created[pod["metadata"]["name"]] = parse_timestamp(pod["metadata"]["creationTimestamp"])
    cluster.settle()
    wall = time.perf_counter() - wall
    latencies = [running_at[name] - created[name] for name in created if name in running_at]
    return {
        "pods": pods,
        "running": len(latencies),
        "wall_s": wall,
        "p50": percentile(latencies, 50),
        "p90": percentile(latencies, 90),
        "p99": percentile(latencies, 99),
        "max": max(latencies),
        "mean": statistics.mean(latencies),
    }


def main() -> dict:
    warm = run(prepull=True)
    cold = run(prepull=False)
    for label, r in (("image present (SLO definition)", warm), ("cold image pulls included", cold)):
        print(
            f"pod startup, {r['pods']:,} pods on 34 nodes, {label}: p50 {r['p50']:.2f} s, "
            f"p90 {r['p90']:.2f} s, p99 {r['p99']:.2f} s, max {r['max']:.2f} s simulated "
            f"({r['running']:,} Running; wall {r['wall_s']:.1f} s)"
        )
    print(f"  goal: p99 <= {GOAL_P99} s simulated (upstream pod startup SLO, image pulls excluded)")
    return {"warm": warm, "cold": cold}


if __name__ == "__main__":
    main()
