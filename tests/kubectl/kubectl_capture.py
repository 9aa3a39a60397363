"""Record golden outputs from the real kubectl v1.32 (run by hand when the binary is present).

    .venv/bin/python tests/kubectl/kubectl_capture.py            # every case again
    .venv/bin/python tests/kubectl/kubectl_capture.py --missing  # only cases not recorded yet
    .venv/bin/python tests/kubectl/kubectl_capture.py --sequences  # the kubectl config sequences

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
    ("--sort-by a field no object has, -o name", "sidecars", "get events -o name --sort-by=.metadata.labels.app"),
    ("--sort-by a field only some pods have puts the others first", "cluster", "get pods --sort-by=.metadata.labels.app"),
    ("--sort-by with every value equal leaves the rows as Go's unstable sort does", "sidecars",
     "get events --sort-by=.metadata.namespace"),
    ("--sort-by a field some objects lack", "sidecars", "get events --sort-by=.metadata.labels.app"),
    ("describe sorts more than 12 events with Go's unstable sort", "busy", "describe pod busy"),
    ("events of a busy pod", "busy", "events --for pod/busy"),
    ("events sorts by last seen with Go's unstable sort, ties included", "sidecars", "events"),
    ("events -A adds a NAMESPACE column", "sidecars", "events -A"),
    ("events --for one pod", "sidecars", "events --for pod/web"),
    ("events --no-headers", "sidecars", "events --no-headers --for pod/web"),
    ("events of repeated warnings show how often and over how long", "probes", "events"),
    ("events --types=Warning keeps the warnings", "probes", "events --types=Warning"),
    ("events -o yaml prints an EventList", "probes", "events -o yaml --for pod/never-ready"),
    ("events --for without a slash", "probes", "events --for web"),
    ("events --for with two slashes", "probes", "events --for pod/a/b"),
    ("events --for an unknown resource type", "probes", "events --for nope/x"),
    ("events --types that does not exist", "probes", "events --types=Info"),
    ("events --for an object without events", "probes", "events --for pod/nope"),
    ("exec of a missing deployment", "cluster", "exec deploy/nope -- ls"),
    ("exec of a kind without a selector", "cluster", "exec cm/cfg -- ls"),
    ("exec of a deployment picks its most active pod and says nothing about the others", "cluster",
     "exec deploy/web -- hostname"),
    ("exec of a service picks from the pods its selector matches", "cluster", "exec svc/web -- hostname"),
    ("logs of a pod whose node is down: the API server's GET to the kubelet fails", "exec", "logs stranded"),
    ("exec into a pod whose node is down: the API server cannot dial the kubelet", "exec", "exec stranded -- ls"),
    ("describe of a pod with a native sidecar lists it among the init containers", "sidecars", "describe pod web"),
    ("describe shows env sources: fieldRef values kubectl can work out, resource values, keys, envFrom", "envs",
     "describe pod needs-config"),
    ("a container waiting for its ConfigMap is CreateContainerConfigError", "envs", "get pod needs-config"),
    ("describe lists the mounts of each container and every kind of volume", "volumes", "describe pod mounts"),
    ("describe of a pod waiting for a missing ConfigMap volume shows its FailedMount events", "volumes",
     "describe pod waits-for-config"),
    ("a pod whose volume cannot be mounted is ContainerCreating", "volumes", "get pods"),
    ("the kubelet's repeated Failed events for a missing ConfigMap", "envs", "events --for pod/needs-config"),
    ("get events of a pod with a sidecar", "sidecars", "get events"),
    ("logs of a pod with a sidecar default to the app and name the init container", "sidecars", "logs web"),
    ("get configmaps lists kube-root-ca.crt with its one key", "cluster", "get cm"),
    ("describe of kube-root-ca.crt cuts the long description and prints the certificate", "cluster",
     "describe cm kube-root-ca.crt"),
    ("get serviceaccounts shows the default account with no secrets", "cluster", "get sa"),
    ("run --overrides merges inline JSON into the generated pod", "cluster",
     """run x --image=nginx --dry-run=client -o yaml --overrides='{"spec":{"nodeName":"node-1"}}'"""),
    ("run --overrides with strategic merge adds to the container by name", "cluster",
     """run x --image=nginx --dry-run=client -o yaml --override-type=strategic """
     """--overrides='{"spec":{"containers":[{"name":"x","args":["-g","daemon off;"]}]}}'"""),
    ("run --overrides that is not JSON", "cluster", "run x --image=nginx --dry-run=client --overrides='{bad'"),
    ("run --override-type that does not exist", "cluster",
     """run x --image=nginx --dry-run=client --override-type=bogus --overrides='{}'"""),
    ("exec prints the command's output", "exec", "exec solo -- ls /"),
    ("exec of a pod with two containers says which one it defaulted to", "exec", "exec web -- hostname"),
    ("exec with -c picks the container and says nothing more", "exec", "exec web -c log-agent -- hostname"),
    ("exec -q leaves out the defaulted container line", "exec", "exec -q web -- hostname"),
    ("exec passes the command's stderr through", "exec", "exec solo -- warn"),
    ("exec of a command that fails ends with its exit code", "exec", "exec solo -- sh -c 'exit 3'"),
    ("exec of a missing executable is the runtime's internal error", "exec", "exec solo -- nosuch"),
    ("exec without -- still works with a deprecation warning", "exec", "exec solo date"),
    ("exec without a command", "exec", "exec solo"),
    ("exec without a pod", "exec", "exec"),
    ("exec of a missing pod", "exec", "exec nope -- ls"),
    ("exec of a container the pod does not have", "exec", "exec web -c nope -- ls"),
    ("exec of a pod not scheduled yet", "exec", "exec pending -- ls"),
    ("exec of a container that is not running", "exec", "exec crash -- ls"),
    ("exec of a finished pod", "exec", "exec done -- ls"),
    ("exec honours the default-container annotation", "exec", "exec picky -- hostname"),
    ("exec warns when the default-container annotation names no container", "exec", "exec stale -- hostname"),
    ("exec lists init containers among the choices", "exec", "exec staged -- hostname"),
    ("exec -c of an init container that is not running", "exec", "exec staged -c setup -- ls"),
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
    ("label refuses a resource after the first change before sending anything", "pod", "label pod x a=b extra"),
    ("annotate refuses a resource after the first change", "pod", "annotate pod x n=1 extra"),
    ("label refuses a spec with two equals signs", "pod", "label pod x a=b=c"),
    ("label checks the value on the client", "pod", "label pod x 'a=b c'"),
    ("an argument that starts with = is a resource, not a change", "pod", "label pod x =y"),
    ("annotate names the keys it cannot both modify and remove", "pod", "annotate pod x a=1 a- b=2 b-"),
    ("label with no resource", "pod", "label app=web"),
    ("label --list and -o together", "pod", "label pod x --list -o yaml"),
    ("label --list of one object prints its labels", "cluster", "label deploy web --list"),
    ("label -o jsonpath prints the labelled object", "cluster",
     "label deploy web x=y --dry-run=client -o jsonpath={.metadata.labels}"),
    ("run --labels needs key=value pairs", "pod", "run x --image=nginx --labels=app"),
    ("run -o wide lists the print flags' formats", "pod", "run x --image=nginx -o wide"),
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
    ("get one missing name -o yaml prints only the error", "cluster", "get pod nope -o yaml"),
    ("get one missing type/name -o json prints only the error", "cluster", "get pod/nope -o json"),
    ("get two names, one missing, -o jsonpath sees a List of the other", "cluster",
     "get pods nope crash -o jsonpath={.kind}/{.items[*].metadata.name}"),
    ("get two names, one missing, -o name", "cluster", "get pods nope crash -o name"),
    ("delete with a selector that matches nothing", "cluster", "delete pods -l app=none"),
    ("delete --all of an empty namespace", "cluster", "delete pods --all -n kube-public"),
    ("delete --ignore-not-found of a missing pod", "cluster", "delete pod nope --ignore-not-found"),
    ("get --ignore-not-found -o yaml of a missing pod prints nothing", "cluster", "get pod nope --ignore-not-found -o yaml"),
    ("custom-columns print a map as Go's %v", "cluster",
     "get pods -o custom-columns=NAME:.metadata.name,LABELS:.metadata.labels"),
    ("custom-columns print a list of maps as Go's %v", "cluster",
     "get nodes -o custom-columns=NAME:.metadata.name,TAINTS:.spec.taints"),
    ("custom-columns with no columns", "cluster", "get pods -o custom-columns="),
    ("jsonpath-as-json ends with a newline", "cluster", "get pods -o jsonpath-as-json={.items[*].metadata.name}"),
    ("api-resources --categories=all", "cluster", "api-resources --categories=all"),
    ("get --raw of a path without a slash", "cluster", "get --raw api"),
    ("logs warns when the default-container annotation names no container", "exec", "logs stale"),
    ("logs -c of a container the pod lacks", "cluster", "logs crash -c nope"),
    ("an unknown group-qualified resource names the resource part", "cluster", "get foo.v1.bar.com"),
    ("an unserved group of a known resource", "cluster", "get deployments.extensions"),
    ("kubectl help is the root help", "cluster", "help"),
    ("kubectl help get is get's help", "cluster", "help get"),
    ("events -o wide is not one of its printers", "probes", "events -o wide"),
    ("rollout history of a type lists every object's history", "cluster", "rollout history deploy"),
    ("rollout history -o name names the revisions' ReplicaSets", "cluster", "rollout history deploy/web -o name"),
    ("rollout history -o yaml prints the revisions' ReplicaSets", "cluster", "rollout history deploy/web -o yaml"),
    ("a json patch whose test fails shows json-patch's reason", "cluster",
     """patch cm kube-root-ca.crt --type=json -p '[{"op":"test","path":"/data/nope","value":"x"}]'"""),
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
    ("explain a kind prints its description and each field with its own", "cluster", "explain pods"),
    ("explain a field with an enum lists its values and what each means", "cluster",
     "explain pods.spec.containers.imagePullPolicy"),
    ("explain a field of another type prints both descriptions, then that type's fields and short enums", "cluster",
     "explain deploy.spec.strategy"),
    ("explain of a list field walks into its items and marks the required ones", "cluster",
     "explain pods.spec.containers"),
    ("explain --recursive prints the tree of field names and types", "cluster", "explain svc.spec --recursive"),
    ("explain --recursive of a whole kind", "cluster", "explain deploy --recursive"),
    ("explain of a map of quantities", "cluster", "explain pod.spec.containers.resources.limits"),
    ("explain of an int-or-string field", "cluster", "explain deploy.spec.strategy.rollingUpdate.maxSurge"),
    ("explain of a resource by its group-qualified name", "cluster", "explain deployments.apps.spec.paused"),
    ("explain of a missing field names the last element of the path", "cluster", "explain pods.spec.nope.deeper"),
    ("explain finds the kind in any case but fields only in theirs", "cluster", "explain Pod.Spec"),
    ("explain of an unknown resource type", "cluster", "explain nope"),
    ("explain without a resource", "cluster", "explain"),
    ("explain takes one resource", "cluster", "explain pods nodes"),
    ("explain -o accepts only the plaintext formats", "cluster", "explain pods -o yaml"),
    ("explain --api-version of a group that does not have the resource", "cluster",
     "explain deployments --api-version=v1"),
    ("explain --api-version the server does not serve", "cluster", "explain deployments --api-version=apps/v2"),
    ("explain --api-version takes the resource from the first element only", "cluster",
     "explain deployments.spec.paused --api-version=apps/v1"),
    ("explain takes a group only after the resource's plural as written: deploy.apps.spec is the field apps",
     "cluster", "explain deploy.apps.spec"),
    ("explain reads the path as JSONPath: a trailing dot is dropped", "cluster", "explain svc.spec.ports."),
    ("explain reads the path as JSONPath: a doubled dot inside is a recursive descent", "cluster",
     "explain pods.spec..containers"),
    ("explain reads the path as JSONPath: a path must start with a field", "cluster", "explain .pods"),
    ("api-versions lists the served group/versions, sorted", "cluster", "api-versions"),
    ("debug without a pod name", "cluster", "debug"),
    ("debug without --image", "cluster", "debug web-7c4b4cb947-abcde"),
    ("debug with an unknown profile", "cluster", "debug web-7c4b4cb947-abcde --image=busybox --profile=nope"),
    ("debug of a Deployment is not supported", "cluster", "debug deploy/web --image=busybox --profile=general"),
    ("debug of a missing pod, after the legacy profile's warning", "cluster", "debug nope --image=busybox -c dbg"),
    ("debug adds a named ephemeral container and prints nothing", "cluster",
     "debug web-7c4b4cb947-abcde --image=busybox -c dbg --profile=general"),
    ("debug --target says which container it targets", "cluster",
     "debug pod/web-7c4b4cb947-abcde --image=busybox -c dbg --profile=general --target=nginx -- sh -c 'echo hi'"),
    ("debug -t needs -i", "cluster", "debug web-7c4b4cb947-abcde --image=busybox -c dbg --profile=general -t"),
    ("create secret docker-registry writes Docker's config.json with the credentials", "cluster",
     "create secret docker-registry regcred --docker-username=bob --docker-password=s3cr3t "
     "--docker-email=bob@example.com --dry-run=client -o yaml"),
    ("create secret docker-registry for another registry, without an email", "cluster",
     "create secret docker-registry regcred --docker-server=registry.example.com:5000 --docker-username=bob "
     "--docker-password=s3cr3t --dry-run=client -o yaml"),
    ("create secret docker-registry needs the credentials", "cluster",
     "create secret docker-registry regcred --docker-username=bob"),
    ("create secret tls holds the certificate and its key (a self-signed test pair)", "cluster",
     "create secret tls tls-secret --cert=tests/fixtures/kubectl/tls.crt --key=tests/fixtures/kubectl/tls.key "
     "--dry-run=client -o yaml"),
    ("create secret tls needs both files", "cluster", "create secret tls tls-secret --cert=tests/fixtures/kubectl/tls.crt"),
    ("create secret tls of a file that is not there", "cluster",
     "create secret tls tls-secret --cert=tests/fixtures/kubectl/tls.crt --key=tests/fixtures/kubectl/nope.key"),
    ("create secret tls with the files switched", "cluster",
     "create secret tls tls-secret --cert=tests/fixtures/kubectl/tls.key --key=tests/fixtures/kubectl/tls.crt"),
    ("create secret tls with the certificate twice", "cluster",
     "create secret tls tls-secret --cert=tests/fixtures/kubectl/tls.crt --key=tests/fixtures/kubectl/tls.crt"),
    ("rollout undo --dry-run=client describes the revision it would roll back to", "cluster",
     "rollout undo deploy/web --dry-run=client --to-revision=1"),
    ("rollout undo --dry-run=server needs an older revision too", "cluster", "rollout undo deploy/web --dry-run=server"),
    ("rollout history --revision of a revision that is not there", "cluster", "rollout history deploy/web --revision=7"),
    ("rollout history --revision must be positive", "cluster", "rollout history deploy/web --revision=-1"),
    ("taint of a key=value without an effect is an invalid taint spec", "cluster", "taint nodes node-1 foo=bar"),
    ("taint with the same key and effect twice", "cluster", "taint nodes node-1 key1=v:NoSchedule key1=v2:NoSchedule"),
    ("taint that adds and removes the same taint", "cluster", "taint nodes node-1 key1=v:NoSchedule key1:NoSchedule-"),
    ("taint with an unknown effect", "cluster", "taint nodes node-1 key1=v:Sometimes"),
    ("taint with a value that is not a label value", "cluster", "taint nodes node-1 'key1=a b:NoSchedule'"),
    ("taint with two colons", "cluster", "taint nodes node-1 key1=v:NoSchedule:x"),
    ("taint with a resource after the taints", "cluster", "taint nodes key1=v:NoSchedule node-1"),
    ("taint without a node name", "cluster", "taint nodes key1=v:NoSchedule"),
    ("taint without a taint", "cluster", "taint nodes node-1"),
    ("create service externalname", "cluster",
     "create service externalname my-ns --external-name bar.com --dry-run=client -o yaml"),
    ("create service externalname with a port", "cluster",
     "create service externalname my-ns --external-name bar.com --tcp=80:8080 --dry-run=client -o yaml"),
    ("create service externalname needs --external-name", "cluster", "create service externalname my-ns"),
    ("create service externalname checks the name is a DNS subdomain", "cluster",
     "create service externalname my-ns --external-name=-bad-"),
    ("describe of a debugged pod lists its ephemeral containers after the containers", "debugged", "describe pod web"),
    ("get pod -o wide of a debugged pod counts only its containers", "debugged", "get pod web -o wide"),
    ("logs of a pod with ephemeral containers default to its container and name the others", "debugged", "logs web"),
    ("api-versions takes no arguments", "cluster", "api-versions foo"),
]


SEQUENCES_OUT = os.path.join(HERE, "..", "fixtures", "kubectl", "config_sequences.json")

# (sentence id, commands run one after the other against one kubeconfig, over the "cluster" world)
SEQUENCES = [
    ("a kubeadm kubeconfig has one context, one cluster and one user",
     ["config get-contexts", "config get-contexts -o name", "config get-contexts --no-headers", "config get-clusters",
      "config get-users", "config current-context", "config view", "config view -o json"]),
    ("set-context --current --namespace makes it the namespace of later commands",
     ["config set-context --current --namespace=kube-system", "config get-contexts", "get pods -o name",
      "get deploy", "-n default get deploy", "config view --minify", "config set-context --current --namespace=",
      "get deploy"]),
    ("a new context, switched to, renamed while current",
     ["config set-context dev --namespace=dev --cluster=kubernetes --user=kubernetes-admin", "config use-context dev",
      "config current-context", "get pods", "config set-context dev --namespace=dev2", "config rename-context dev dev3",
      "config get-contexts", "config view -o jsonpath={.contexts[*].name}", "config use kubernetes-admin@kubernetes",
      "--context=dev3 get pods", "config view --minify --context=dev3"]),
    ("config errors",
     ["config use-context nope", "config use-context", "config set-context", "config set-context a b",
      "config rename-context nope x", "config rename-context kubernetes-admin@kubernetes kubernetes-admin@kubernetes",
      "config get-contexts nope", "config get-contexts -o wide", "config view foo", "config view -o name",
      "--context=nope get pods", "config view --minify --context=nope"]),
    ("contexts whose cluster or user the kubeconfig does not have",
     ["config set-context bad --cluster=nope", "--context=bad config view --minify",
      "config set-context onlyns --namespace=x", "config view --minify --context=onlyns", "config view"]),
]


def capture_sequences():
    """Record SEQUENCES: each against a fresh kubeconfig (with certificate data, as kubeadm's) whose
    server is the recording server; its address and the file's path are written as k8slearn's."""
    sys.path.insert(0, HERE)
    import kubectl_realserver as server
    import kubectl_worlds

    from k8slearn.api.meta import parse_timestamp

    results = []
    for sentence, commands in SEQUENCES:
        T = int(time.time())
        store = server.Store()
        store.load(kubectl_worlds.WORLDS["cluster"](T))
        server.NOW[0] = parse_timestamp(kubectl_worlds.ts(T, 0))
        srv, cfg, d, _ = server.start(store)
        url = f"http://127.0.0.1:{srv.server_address[1]}"
        with open(cfg) as handle:
            text = handle.read().replace(f'{{server: "{url}"}}', f'{{server: "{url}", certificate-authority-data: QUJD}}')
        with open(cfg, "w") as handle:
            handle.write(text.replace("  user: {}", "  user: {client-certificate-data: QUJD, client-key-data: QUJD}"))
        steps = []
        for command in commands:
            out, err, rc = server.kubectl(cfg, d, _split(command))
            steps.append({"args": _split(command), "stdout": _local(out, url, cfg), "stderr": _local(err, url, cfg),
                          "code": rc})
        srv.shutdown()
        results.append({"id": sentence, "T": T, "steps": steps})
    with open(SEQUENCES_OUT, "w") as handle:
        json.dump(results, handle, indent=1, ensure_ascii=False)
        handle.write("\n")


def _local(text, url, cfg):
    return text.replace(url, "https://control-plane:6443").replace(cfg, "/root/.kube/config")


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
    if "--sequences" in sys.argv:
        capture_sequences()
    else:
        capture()
