"""Helpers shared by the test harnesses that run one component against a bare API server."""

NOT_READY_TAINT_KEY = "node.kubernetes.io/not-ready"


def create_ready_node(api, node: dict) -> dict:
    """Create a Node as a Ready kubelet registers it. The API server's TaintNodesByCondition admission
    gives every new Node the ``not-ready:NoSchedule`` taint, which the node lifecycle controller (not
    run here) removes once the node reports Ready; this harness removes it at once, unless the node
    says it is not Ready or carries the taint itself."""
    created = api.create(node)
    conditions = (node.get("status") or {}).get("conditions") or []
    ready = all(c.get("status") == "True" for c in conditions if c.get("type") == "Ready")
    own = any(t.get("key") == NOT_READY_TAINT_KEY for t in (node.get("spec") or {}).get("taints") or [])
    taints = created["spec"].get("taints") or []
    if ready and not own and any(t.get("key") == NOT_READY_TAINT_KEY for t in taints):
        kept = [t for t in taints if t.get("key") != NOT_READY_TAINT_KEY]
        if kept:
            created["spec"]["taints"] = kept
        else:
            del created["spec"]["taints"]
        created = api.update(created)
    return created
