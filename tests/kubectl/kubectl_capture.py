"""Record golden outputs from the real kubectl v1.32 (run by hand when the binary is present).

    .venv/bin/python tests/kubectl/kubectl_capture.py            # every case again
    .venv/bin/python tests/kubectl/kubectl_capture.py --missing  # only cases not recorded yet

For every case below it builds the fixture world at a fresh whole second ``T``, serves it to the
real kubectl through kubectl_realserver.py, and writes what kubectl printed, with ``T``, to
tests/fixtures/kubectl/golden.json. test_kubectl_golden.py replays each case against
k8slearn.kubectl at the same instant and demands byte-identical stdout, stderr and exit code.
"""

import json
import os
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "..", "fixtures", "kubectl", "golden.json")

# (sentence id, world, args)
CASES = [
    ("rollout history of one deployment revision shows its whole pod template", "cluster",
     "rollout history deployment/web --revision=1"),
    ("get statefulsets shows READY and AGE", "workloads", "get statefulsets"),
    ("get statefulsets -o wide adds containers and images", "workloads", "get sts -o wide"),
    ("describe statefulset shows strategy, partition, pod status, template, claims and events", "workloads",
     "describe sts web"),
    ("rollout history of a statefulset lists its controller revisions", "workloads", "rollout history sts/web"),
    ("rollout history of one statefulset revision shows its template", "workloads",
     "rollout history sts/web --revision=2"),
    ("get cronjobs shows schedule, timezone, suspend, active and last schedule", "workloads", "get cronjobs"),
    ("get cronjobs -o wide adds containers, images and selector", "workloads", "get cj -o wide"),
    ("describe cronjob shows policies, history limits, the job template and events", "workloads",
     "describe cronjob hello"),
    ("get jobs of a cronjob", "workloads", "get jobs -o wide"),
    ("get controllerrevisions", "workloads", "get controllerrevisions"),
    ("get pods of a statefulset", "workloads", "get pods -l app=nginx -o wide"),
    ("create service nodeport of a name that exists", "conflicts", "create service nodeport web --tcp=80:80"),
    ("create service loadbalancer of a name that exists", "conflicts", "create service loadbalancer web --tcp=80:80"),
    ("create secret generic of a name that exists", "conflicts", "create secret generic creds --from-literal=a=b"),
    ("create cronjob of a name that exists", "conflicts", "create cronjob hello --image=busybox --schedule='*/5 * * * *'"),
    ("run of a pod name that exists", "conflicts", "run web-7c4b4cb947-abcde --image=nginx"),
    ("expose of a service name that exists", "conflicts", "expose deployment web --port=80"),
    ("create deployment of a name that exists wraps the server's error", "cluster", "create deployment web --image=nginx"),
    ("create service of a name that exists", "cluster", "create service clusterip web --tcp=80:80"),
    ("create configmap of a name that exists", "cluster", "create configmap cfg --from-literal=a=1"),
    ("create namespace of a name that exists", "cluster", "create namespace default"),
    ("create serviceaccount of a name that exists", "cluster", "create serviceaccount default"),
    ("create job of a name that exists", "cluster", "create job pi --image=perl:5.34"),
    ("create priorityclass of a name that exists", "cluster", "create priorityclass system-node-critical --value=1000"),
    ("create pdb of a name that exists", "cluster", "create pdb web --selector=app=web --min-available=1"),
    ("describe of a pod restarted by its liveness probe shows the probe, last state and events", "probes",
     "describe pod liveness-exec"),
    ("describe of a pod whose readiness probe fails shows Ready False and the Unhealthy event", "probes",
     "describe pod never-ready"),
    ("get events prints a probe message that ends with a newline as it is", "probes", "get events"),
    ("get pods shows the restart and the unready pod", "probes", "get pods"),
    ("describe pod shows containers, conditions, volumes, tolerations and events", "pod",
     "describe pod web-7c4b4cb947-5g28v"),
    ("describe by name prefix describes every match followed by a blank line", "pod", "describe pod web"),
    ("describe of a missing pod is a NotFound error", "pod", "describe pod nope"),
    ("get pods prints the five default columns", "pod", "get pods"),
    ("get pods -o wide adds IP, NODE, NOMINATED NODE and READINESS GATES", "pod", "get pods -o wide"),
    ("a found and a missing pod print the row then the NotFound error", "pod",
     "get pod web-7c4b4cb947-5g28v nope"),
    ("get pods -A adds the NAMESPACE column", "pod", "get pods -A"),
    ("--show-labels and -L add label columns", "pod", "get po --show-labels -L app"),
    ("two kinds print two tables with kind/name and a blank line between", "pod", "get pods,events"),
    ("get events lists LAST SEEN, TYPE, REASON, OBJECT and MESSAGE", "pod", "get events"),
    ("get events -o wide adds subobject, source, first seen, count and name", "pod", "get events -o wide"),
    ("an empty namespaced list says No resources found in the namespace", "pod", "get pods -l app=nope"),
    ("an empty cluster-scoped list says No resources found", "pod", "get nodes"),
    ("a namespace without pods says so", "pod", "get pods -n kube-system"),
    ("--no-headers drops the header line", "pod", "get pods --no-headers"),
    ("-o name prints kind/name", "pod", "get pods -o name"),
    ("TYPE/NAME arguments keep their order", "pod", "get pod/x pod/web-7c4b4cb947-5g28v"),
    ("an unknown resource type fails before anything prints", "pod", "get foo"),
    ("one unknown type in a list fails the whole command", "pod", "get pods,foo"),
    ("a name with a selector is refused", "pod", "get pods web -l app=web"),
    ("describe of a crash-looping pod shows the last state, probes, env and mounts", "cluster", "describe pod crash"),
    ("describe of a pod still initializing shows its init container", "cluster", "describe pod initwait"),
    ("describe of an unschedulable pod shows the FailedScheduling event", "cluster",
     "describe pod web-7c4b4cb947-fghij"),
    ("describe node shows lease, conditions, capacity, pods and allocated resources", "cluster",
     "describe node node-1"),
    ("describe of the control plane node shows its taint and role", "cluster", "describe node control-plane"),
    ("describe of a cordoned, unreachable node shows SchedulingDisabled taints", "cluster", "describe node node-2"),
    ("describe deployment shows replicas, strategy, template, conditions and replica sets", "cluster",
     "describe deploy web"),
    ("describe replicaset shows pod status counts", "cluster", "describe rs"),
    ("describe daemonset shows scheduling counts", "cluster", "describe ds -n kube-system"),
    ("describe service shows ports and ready endpoints from its slices", "cluster", "describe svc web"),
    ("describe namespace ends with quota and limit range lines", "cluster", "describe ns default"),
    ("describe job shows completions and duration", "cluster", "describe job pi"),
    ("describe configmap prints each data key", "cluster", "describe cm cfg"),
    ("describe priorityclass prints value and policy", "cluster", "describe pc"),
    ("describe endpoints prints addresses and a port table", "cluster", "describe ep web"),
    ("describe serviceaccount prints its secret lines", "cluster", "describe sa default"),
    ("describe of a kind without a describer prints its fields", "cluster", "describe lease node-1 -n kube-node-lease"),
    ("describe of every pod separates them by a blank line", "cluster", "describe pods"),
    ("get all shows each workload kind with kind/name", "cluster", "get all"),
    ("get nodes -o wide shows addresses, OS, kernel and runtime", "cluster", "get nodes -o wide"),
    ("several workload kinds across namespaces in wide form", "cluster", "get deploy,rs,ds -A -o wide"),
    ("services and endpoints", "cluster", "get svc,ep"),
    ("events across namespaces", "cluster", "get events -A"),
    ("namespaces", "cluster", "get ns"),
    ("the NAMESPACE column stays once a namespaced kind printed", "cluster", "get pods,ns -A"),
    ("a cluster-scoped kind alone has no NAMESPACE column", "cluster", "get pc -A"),
    ("jobs show status, completions and duration", "cluster", "get jobs"),
    ("-o yaml of a list is a kind List", "cluster", "get pods -o yaml"),
    ("-o json of one object is the object", "cluster", "get pod crash -o json"),
    ("-o yaml of a namespace", "cluster", "get ns default -o yaml"),
    ("-o name across kinds", "cluster", "get pods,svc -o name"),
    ("-L shows a label value column", "cluster", "get no -L kubernetes.io/hostname"),
    ("--sort-by orders rows", "cluster", "get pods --sort-by=.metadata.creationTimestamp"),
    ("-o jsonpath joins values with spaces", "cluster", "get pods -o jsonpath={.items[*].metadata.name}"),
    ("-o custom-columns prints chosen fields", "cluster",
     "get pods -o custom-columns=NAME:.metadata.name,NODE:.spec.nodeName"),
    ("endpoint slices", "cluster", "get es"),
    ("a missing flag value is a pflag error", "pod", "get pods -o"),
    ("an unknown shorthand is a pflag error", "pod", "get pods -z"),
    ("a misspelled command suggests close ones", "pod", "gett pods"),
    ("get without a type explains what to do", "pod", "get"),
    ("describe without a type explains what to do", "pod", "describe"),
    ("a bad boolean value is rejected", "pod", "get pods --all-namespaces=maybe"),
    ("scale requires --replicas", "pod", "scale deploy web"),
    ("scale rejects a non-number", "pod", "scale deploy web --replicas=x"),
    ("logs needs a pod", "pod", "logs"),
    ("create needs -f or a subcommand", "pod", "create"),
    ("create deployment needs --image", "pod", "create deployment web"),
    ("expose needs a resource", "pod", "expose"),
    ("label needs an update", "pod", "label pod x"),
    ("version accepts only yaml or json", "pod", "version --client -o foo"),
    ("apply needs -f", "pod", "apply"),
    ("delete needs resources", "pod", "delete"),
    ("rollout status needs a resource", "pod", "rollout status"),
    ("cordon needs a node", "pod", "cordon"),
    ("taint needs an update", "pod", "taint nodes n1"),
    ("patch needs --patch", "pod", "patch pod x"),
    ("set image needs resources", "pod", "set image"),
    ("create with an unknown subcommand", "pod", "create foo"),
    ("rollout with an unknown subcommand", "pod", "rollout foo"),
    ("get --help prints the help text", "pod", "get --help"),
    ("version prints client, kustomize and server versions", "pod", "version"),
    ("config current-context names the context", "pod", "config current-context"),
    ("top without metrics-server", "pod", "top pods"),
    ("logs of a missing pod", "pod", "logs nope"),
    ("an unknown output format lists the allowed ones", "pod", "get pods -o foo"),
    ("delete with only a type asks for a name", "cluster", "delete pod"),
    ("delete of a missing pod", "cluster", "delete pod nope"),
    ("delete --all in dry run lists what would go", "cluster", "delete pods --all --dry-run=client"),
    ("label --all in dry run", "cluster", "label pods --all x=y --dry-run=client"),
    ("a label that exists is not overwritten without --overwrite", "cluster", "label pod crash app=other"),
    ("scale in dry run", "cluster", "scale deploy web --replicas=3 --dry-run=client"),
    ("cordon in dry run", "cluster", "cordon node-1 --dry-run=client"),
    ("cordon of a cordoned node", "cluster", "cordon node-2"),
    ("uncordon of a schedulable node", "cluster", "uncordon node-1"),
    ("create configmap in dry run with yaml", "pod", "create cm x --from-literal=a=1 --dry-run=client -o yaml"),
    ("run in dry run prints the pod manifest", "pod", "run web --image=nginx --dry-run=client -o yaml"),
    ("create deployment in dry run", "pod", "create deployment web --image=nginx --replicas=3 --port=80 "
                                            "--dry-run=client -o yaml"),
    ("create service nodeport in dry run", "pod",
     "create service nodeport web --tcp=80:8080 --node-port=30080 --dry-run=client -o yaml"),
    ("create job in dry run keeps the command", "pod",
     "create job pi --image=perl:5.34 --dry-run=client -o yaml -- perl -wle print"),
    ("cordon of a cordoned node in dry run still says already cordoned", "cluster", "cordon node-2 --dry-run=client"),
    ("cordon refuses a node name together with a selector", "cluster", "cordon node-1 -l x=y"),
    ("drain needs a node", "cluster", "drain"),
    ("drain of a missing node", "cluster", "drain nope"),
    ("drain refuses a node name together with a selector", "cluster", "drain node-1 -l x=y"),
    ("drain checks the pod selector first", "cluster", "drain node-1 --pod-selector=!! --dry-run=client"),
    ("drain stops at a pod with emptyDir data even with --force", "cluster", "drain node-1 --dry-run=client --force"),
    ("drain with --force and --delete-emptydir-data warns and lists the evictions", "cluster",
     "drain node-1 --dry-run=client --force --delete-emptydir-data"),
    ("drain of an empty cordoned node", "cluster", "drain node-2 --dry-run=client"),
    ("drain of two nodes cordons both first", "cluster",
     "drain node-1 node-2 --dry-run=client --force --delete-emptydir-data"),
    ("drain with a pod selector that matches nothing", "cluster",
     "drain node-1 --dry-run=client --pod-selector=app=nope"),
    ("drain --help prints the help text", "pod", "drain --help"),
    ("get pdb shows the budget and its allowed disruptions", "cluster", "get pdb"),
    ("describe pdb shows the selector and the status counts", "cluster", "describe pdb web"),
    ("create pdb in dry run prints the budget", "pod",
     "create pdb web --selector=app=web --min-available=2 --dry-run=client -o yaml"),
    ("create pdb turns set-based requirements into sorted match expressions", "pod",
     "create pdb web --selector='tier in (a,b),!canary' --min-available=50% --dry-run=client -o yaml"),
    ("create pdb needs a selector first", "pod", "create pdb web --dry-run=client"),
    ("create pdb needs one of the two limits", "pod", "create pdb web --selector=app=web --dry-run=client"),
    ("create pdb refuses both limits", "pod",
     "create pdb web --selector=app=web --min-available=2 --max-unavailable=1 --dry-run=client"),
    ("create pdb refuses a limit that is not a number or a percentage", "pod",
     "create pdb web --selector=app=web --min-available=2Gi --dry-run=client"),
    ("create pdb refuses != in its selector", "pod",
     "create pdb web --selector=app=web,tier!=db --max-unavailable=25% --dry-run=client"),
    ("wait for a condition that holds", "cluster", "wait --for=condition=Ready pod/web-7c4b4cb947-abcde"),
    ("wait compares the condition status without regard to case", "cluster",
     "wait --for=condition=ready=FALSE pod/crash -o name"),
    ("wait with --timeout=0 checks once", "cluster", "wait --for=condition=Ready pod/crash --timeout=0"),
    ("wait times out on a condition that does not come", "cluster",
     "wait --for=condition=Ready pod/crash --timeout=1s"),
    ("wait shares one deadline: the objects after a timeout time out too", "cluster",
     "wait --for=condition=Ready pod --all --timeout=1s"),
    ("wait for a JSONPath value", "cluster", "wait --for=jsonpath={.status.phase}=Running pod/crash"),
    ("wait for a JSONPath that reaches anything", "cluster", "wait --for=jsonpath=.status.podIP pod/crash"),
    ("wait refuses a JSONPath that leads to an object", "cluster", "wait --for=jsonpath={.status}=x pod/crash"),
    ("wait for the deletion of an object that is gone already", "cluster", "wait --for=delete pod/nope"),
    ("wait for creation of an object that exists", "cluster", "wait --for=create pod/crash"),
    ("wait needs --for", "cluster", "wait pod/crash"),
    ("wait reports a missing object after the others", "cluster",
     "wait --for=condition=Ready pod/nope pod/web-7c4b4cb947-abcde"),
    ("wait with a selector that matches nothing", "cluster", "wait --for=condition=Ready pods -l app=nope"),
    ("wait --help prints the help text", "pod", "wait --help"),
    ("get -w prints the list, then a line per change with remembered column widths", "watch", "get pods -w"),
    ("get -w --output-watch-events adds the EVENT column", "watch", "get pods -w --output-watch-events"),
    ("get -w of one object swallows the watch's first ADDED", "watch", "get pod web-7c4b4cb947-fghij -w"),
    ("get --watch-only prints only the changes", "watch", "get pods --watch-only"),
    ("get -w refuses two resource types", "watch", "get pods,svc -w"),
    ("get -w -o name prints a name per change", "watch", "get pods -w -o name"),
    ("get -w of two named objects prints them, then refuses to watch", "watch",
     "get pod web-7c4b4cb947-fghij crash -w"),
    ("get -w --no-headers", "watch", "get pods -w --no-headers"),
    ("get -w -A keeps the NAMESPACE column", "watch", "get pods -A -w"),
    ("get -w -o wide", "watch", "get pods -w -o wide"),
    ("get -w of a missing object", "watch", "get pod nope -w"),
    ("get -w -o yaml separates the objects", "watch", "get pod web-7c4b4cb947-fghij -w -o yaml"),
    ("get -w -o json --output-watch-events prints compact watch events", "watch",
     "get pods -w -o json --output-watch-events"),
    ("set env adds variables to a deployment's template", "cluster", "set env deployment/web FOO=bar LOG=debug"),
    ("set env in dry run prints the changed object", "cluster", "set env deploy/web FOO=bar --dry-run=client -o yaml"),
    ("set env of a value it already has changes nothing and prints nothing", "pod",
     "set env pod/web-7c4b4cb947-5g28v MODE=prod"),
    ("set env --overwrite=false refuses to change a value", "pod",
     "set env pod/web-7c4b4cb947-5g28v MODE=dev --overwrite=false"),
    ("set env adds a variable to a pod", "cluster", "set env pod/crash MODE=prod"),
    ("set env of several objects reports each error", "cluster", "set env svc/web deploy/web pod/crash A=1 -c init*"),
    ("set env --from a configmap warns about each renamed key", "cluster", "set env deploy/web --from=configmap/cfg"),
    ("set env --list of a pod shows references and init containers", "cluster", "set env pod/crash --list"),
    ("set resources of two objects without the container reports both", "cluster",
     "set resources deploy/web pod/crash -c nope --limits=cpu=1"),
    ("set resources of an object without a pod template", "cluster", "set resources svc/web --limits=cpu=1"),
    ("set env --help prints the help text", "pod", "set env --help"),
    ("logs of a deployment picks one of its pods by kubectl's logging order and says so", "cluster",
     "logs deploy/web"),
    ("logs of a service picks from the pods its selector matches", "cluster", "logs svc/web"),
    ("logs of a replicaset", "cluster", "logs rs/web-7c4b4cb947"),
    ("logs of a daemonset with one pod says nothing more", "cluster", "logs ds/kube-proxy -n kube-system"),
    ("logs of a pod by type and name", "cluster", "logs pod/web-7c4b4cb947-abcde"),
    ("logs of a kind without a selector", "cluster", "logs cm/cfg"),
    ("logs of a missing deployment", "cluster", "logs deploy/nope"),
    ("logs of a service without a selector", "cluster", "logs svc/kubernetes"),
    ("set resources --help prints the help text", "pod", "set resources --help"),
    ("set env --list shows the result of the changes without making them", "cluster",
     "set env pod/crash MODE- EXTRA=1 --list"),
    ("set env --from a configmap adds one reference per key, sorted here", "cluster",
     "set env deploy/web --from=configmap/cfg --keys=mode --prefix=APP_ --list"),
    ("set env -c with a wildcard that matches nothing warns", "cluster", "set env deploy/web -c side* A=1"),
    ("set env refuses an invalid variable name", "cluster", "set env deploy/web 1X=1"),
    ("set env refuses to set and remove the same variable", "cluster", "set env deploy/web A=1 A-"),
    ("set env wants the resources before the variables", "cluster", "set env deploy/web A=1 deploy/x"),
    ("set env without a resource says how to name one", "cluster", "set env A=1"),
    ("set env of an object without a pod template", "cluster", "set env svc/web A=1"),
    ("set env --keys needs --from", "cluster", "set env deploy/web --keys=mode"),
    ("set env --list and -o go not together", "cluster", "set env deploy/web --list -o yaml"),
    ("set env of a missing deployment", "cluster", "set env deploy/nope A=1"),
    ("set resources sets limits and requests in canonical form", "cluster",
     "set resources deployment/web --limits=cpu=0.5,memory=256Mi --requests=cpu=100m"),
    ("set resources in dry run prints the changed object", "cluster",
     "set resources deploy/web --requests=memory=1Gi --dry-run=client -o yaml"),
    ("set resources needs limits or requests", "cluster", "set resources deploy/web"),
    ("set resources without a resource", "cluster", "set resources --limits=cpu=1"),
    ("set resources refuses a quantity it cannot parse", "cluster", "set resources deploy/web --limits=cpu=lots"),
    ("set resources refuses a pair without a value", "cluster", "set resources deploy/web --limits=cpu"),
    ("set resources fails when no container matches", "cluster", "set resources deploy/web -c nope --limits=cpu=1"),
]


def capture():
    sys.path.insert(0, HERE)
    sys.path.insert(0, os.path.join(HERE, "..", ".."))
    import kubectl_realserver as server
    import kubectl_worlds

    from k8slearn.api.meta import parse_timestamp

    results = []
    missing_only = "--missing" in sys.argv  # record only the cases golden.json does not have yet
    kept = json.load(open(OUT, encoding="utf-8")) if missing_only else []
    have = {case["id"] for case in kept}
    for sentence, world, command in CASES:
        if sentence in have:
            continue
        args = command.split(" ") if "custom-columns" in command or "jsonpath" in command else _split(command)
        while time.time() % 1 > 0.2:
            time.sleep(0.01)
        T = int(time.time())
        store = server.Store()
        store.load(kubectl_worlds.WORLDS[world](T))
        store.script = kubectl_worlds.SCRIPTS.get(world, lambda T: {})(T)
        server.NOW[0] = parse_timestamp(kubectl_worlds.ts(T, 0))
        srv, cfg, d, _ = server.start(store)
        out, err, rc = server.kubectl(cfg, d, args)
        srv.shutdown()
        results.append({"id": sentence, "world": world, "args": args, "T": T, "stdout": out, "stderr": err,
                        "code": rc})
    with open(OUT, "w") as handle:
        json.dump(kept + results, handle, indent=1, ensure_ascii=False)
        handle.write("\n")


def _split(command):
    import shlex

    return shlex.split(command)


if __name__ == "__main__":
    capture()
