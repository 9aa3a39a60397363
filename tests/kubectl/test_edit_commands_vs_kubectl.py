"""label/annotate --local, scale, taint, patch and set image against the real kubectl v1.32.

The table's expected stdout, stderr and exit code are the real binary's, recorded against the
kubectl_realserver fake serving the ``cluster`` world at time ``T`` (the binary's name, which it
prints in one message, is written ``kubectl``). k8slearn runs on the same objects through the kit's
FakeClient, wrapped to record what it sends; ``sent`` is what the real binary sent (method, path
after the namespace, and whether it was a dry run), so "nothing" is checked as well. The files are
the ones the recording used, written to a temporary directory.

The end-to-end cases at the bottom run on ``Cluster(workers=2, seed=0)``: where kubectl sends
nothing, the store's revision must not move.
"""

import shlex

import kubectl_worlds
import pytest
from kubectl_kit import FakeClient, FakeLogs

from k8slearn.api.meta import parse_timestamp
from k8slearn.kubectl import Kubectl

T = 1795740709

FILES = {
    "cm-cfg.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cfg\n  labels:\n    tier: x\n"
                   "data:\n  mode: dev\n  extra: \"yes\"\n",
    "cm-ns.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: nscm\n  namespace: kube-system\n"
                  "data:\n  a: b\n",
    "multi.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: m1\ndata:\n  k: v\n---\n"
                  "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cfg\ndata:\n  mode: prod\n"
                  "  app.conf: |\n    x=1\n---\napiVersion: v1\nkind: Service\nmetadata:\n  name: s1\n"
                  "spec:\n  selector:\n    app: web\n  ports:\n  - port: 80\n",
    "bad-patch.yaml": "a: [b\n",
    "deploy-web.yaml": "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\n  labels:\n    app: web\n"
                       "spec:\n  replicas: 5\n  selector:\n    matchLabels:\n      app: web\n  template:\n"
                       "    metadata:\n      labels:\n        app: web\n    spec:\n      containers:\n"
                       "      - name: nginx\n        image: nginx:1.28\n",
}


class Recording:
    """The FakeClient, with a log of the requests that would change something."""

    def __init__(self, client):
        self._client = client
        self.sent = []

    def __getattr__(self, name):
        return getattr(self._client, name)

    def patch(self, resource, name, patch, namespace="default", patch_type="strategic", subresource="",
              dry_run=False, **kwargs):
        self.sent.append(f"PATCH {resource}/{name}" + (f"/{subresource}" if subresource else "")
                         + (" dry-run" if dry_run else ""))
        return self._client.patch(resource, name, patch, namespace=namespace, patch_type=patch_type,
                                  subresource=subresource, dry_run=dry_run, **kwargs)

    def create(self, obj, *args, **kwargs):
        self.sent.append(f"POST {obj.get('kind')}")
        return self._client.create(obj, *args, **kwargs)

    def update(self, obj, *args, **kwargs):
        self.sent.append(f"PUT {obj.get('kind')}")
        return self._client.update(obj, *args, **kwargs)

    def delete(self, resource, name, *args, **kwargs):
        self.sent.append(f"DELETE {resource}/{name}")
        return self._client.delete(resource, name, *args, **kwargs)


@pytest.fixture
def manifests(tmp_path):
    for name, text in FILES.items():
        (tmp_path / name).write_text(text)
    return str(tmp_path)


# (what it shows, command ({M}: the manifests' directory), stdout, stderr, exit code, requests sent)
CASES = [
    ("patch --local -o yaml prints the file's object with the patch, not the server's",
     'patch --local -f {M}/cm-cfg.yaml -p \'{"data":{"a":"b"}}\' -o yaml',
     'apiVersion: v1\ndata:\n  a: b\n  extra: "yes"\n  mode: dev\nkind: ConfigMap\nmetadata:\n  labels:\n    tier: x\n  name: cfg\n', '', 0, []),
    ('patch --local says patched and sends nothing',
     'patch --local -f {M}/cm-cfg.yaml -p \'{"data":{"a":"b"}}\'',
     'configmap/cfg patched\n', '', 0, []),
    ('patch --local of a value the file already has says no change',
     'patch --local -f {M}/cm-cfg.yaml -p \'{"data":{"mode":"dev"}}\'',
     'configmap/cfg patched (no change)\n', '', 0, []),
    ('patch --local refuses server resources',
     "patch --local cm cfg -p '{}'",
     '', 'error: cannot specify --local and server resources\n', 1, []),
    ('patch --local refuses --dry-run=server',
     "patch --local -f {M}/cm-cfg.yaml -p '{}' --dry-run=server",
     '', 'error: cannot specify --local and --dry-run=server - did you mean --dry-run=client?\n', 1, []),
    ('patch --local patches every object of a multi-document file',
     'patch --local -f {M}/multi.yaml -p \'{"metadata":{"labels":{"q":"r"}}}\'',
     'configmap/m1 patched\nconfigmap/cfg patched\nservice/s1 patched\n', '', 0, []),
    ("a --local JSON patch that removes a missing key fails with json-patch's words",
     'patch --local -f {M}/cm-cfg.yaml --type=json -p \'[{"op":"remove","path":"/data/nope"}]\'',
     '', "error: error in remove for path: '/data/nope': Unable to remove nonexistent key: nope: missing value\n", 1, []),
    ("patch --local keeps the file's own namespace",
     'patch --local -f {M}/cm-ns.yaml -p \'{"data":{"a":"c"}}\' -o yaml',
     'apiVersion: v1\ndata:\n  a: c\nkind: ConfigMap\nmetadata:\n  name: nscm\n  namespace: kube-system\n', '', 0, []),
    ('a --local merge patch with nulls removes those keys',
     'patch --local -f {M}/cm-cfg.yaml --type=merge -p \'{"data":{"a":null,"mode":null}}\' -o json',
     '{\n    "apiVersion": "v1",\n    "data": {\n        "extra": "yes"\n    },\n    "kind": "ConfigMap",\n    "metadata": {\n        "labels": {\n            "tier": "x"\n        },\n        "name": "cfg"\n    }\n}\n', '', 0, []),
    ("patch -f --dry-run=client patches the file's object, in the command's namespace",
     'patch -f {M}/cm-cfg.yaml -p \'{"data":{"a":"b"}}\' --dry-run=client -o yaml',
     'apiVersion: v1\ndata:\n  a: b\n  extra: "yes"\n  mode: dev\nkind: ConfigMap\nmetadata:\n  labels:\n    tier: x\n  name: cfg\n  namespace: default\n', '', 0, []),
    ('patch refuses -f together with resource arguments',
     "patch cm cfg -f {M}/cm-cfg.yaml -p '{}'",
     '', 'error: when paths, URLs, or stdin is provided as input, you may not specify resource arguments as well\n', 1, []),
    ('patch --dry-run=client says plain patched and sends nothing',
     'patch cm cfg -p \'{"data":{"mode":"dev"}}\' --dry-run=client',
     'configmap/cfg patched\n', '', 0, []),
    ('patch --dry-run=server says plain patched and sends a dry-run request',
     'patch cm cfg -p \'{"data":{"mode":"dev"}}\' --dry-run=server',
     'configmap/cfg patched\n', '', 0, ['PATCH configmaps/cfg dry-run']),
    ('patch --dry-run=client of a value the object already has says no change',
     'patch cm cfg -p \'{"data":{"mode":"prod"}}\' --dry-run=client',
     'configmap/cfg patched (no change)\n', '', 0, []),
    ('patch --dry-run=client -o jsonpath shows the patched object',
     'patch cm cfg -p \'{"data":{"mode":"dev"}}\' --dry-run=client -o jsonpath={.data.mode}',
     'dev', '', 0, []),
    ("a patch file that is no YAML: the error quotes --patch, which is empty",
     "patch cm cfg --patch-file={M}/bad-patch.yaml",
     '', 'error: unable to parse "": yaml: line 1: did not find expected \',\' or \']\'\n', 1, []),
    ("--patch and --patch-file together are refused",
     "patch cm cfg --patch-file={M}/bad-patch.yaml -p x",
     '', 'error: cannot specify --patch and --patch-file together\n', 1, []),
    ('patch of a type without a name patches nothing',
     'patch cm -p \'{"data":{}}\'',
     '', 'error: resource(s) were provided, but no name was specified\n', 1, []),
    ('patch goes on after a missing object and reports it at the end',
     'patch cm cfg nope -p \'{"data":{"mode":"dev"}}\'',
     'configmap/cfg patched\n', 'Error from server (NotFound): configmaps "nope" not found\n', 1, ['PATCH configmaps/cfg']),
    ('set image --dry-run=client shows the new image',
     'set image deploy/web nginx=nginx:1.28 --dry-run=client -o jsonpath={.spec.template.spec.containers[0].image}',
     'nginx:1.28', '', 0, []),
    ("set image --dry-run=client prints the template's creationTimestamp as null",
     'set image deploy/web nginx=nginx:1.28 --dry-run=client -o jsonpath={.spec.template.metadata}',
     '{"creationTimestamp":null,"labels":{"app":"web"}}', '', 0, []),
    ('set image --dry-run=client says image updated (dry run)',
     'set image deploy/web nginx=nginx:1.28 --dry-run=client',
     'deployment.apps/web image updated (dry run)\n', '', 0, []),
    ('set image to the image a container already has prints nothing and sends nothing',
     'set image deploy/web nginx=nginx:1.27',
     '', '', 0, []),
    ('set image with a type and then a TYPE/NAME is refused by the builder',
     'set image deploy/web nginx',
     '', "error: there is no need to specify a resource type as a separate argument when passing arguments in resource/name form (e.g. 'kubectl get resource/<resource_name>' instead of 'kubectl get resource resource/<resource_name>'\n", 1, []),
    ('set image without an image update says so, without a usage hint',
     'set image deploy/web',
     '', 'error: at least one image update is required\n', 1, []),
    ('set image of a service says it has no pod template',
     'set image svc/web a=b',
     '', 'error: services/web the object is not a pod or does not have a pod template: *v1.Service\n', 1, []),
    ('set image goes on past an object without a pod template',
     'set image svc/web deploy/web nginx=x',
     'deployment.apps/web image updated\n', 'error: services/web the object is not a pod or does not have a pod template: *v1.Service\n', 1, ['PATCH deployments/web']),
    ('set image patches the containers it found and reports the one it did not',
     'set image deploy/web a=b nginx=nginx:1.28',
     'deployment.apps/web image updated\n', 'error: unable to find container named "a"\n', 1, ['PATCH deployments/web']),
    ('set image refuses * with other containers',
     'set image deploy/web *=nginx:1.28 a=b',
     '', 'error: all containers are already specified by *, but saw more than one container_name=container_image pairs\n', 1, []),
    ('set image --local refuses resource arguments',
     'set image --local deploy/web nginx=x',
     '', "error: you must specify resources by --filename when --local is set.\nExample resource specifications include:\n   '-f rsrc.yaml'\n   '--filename=rsrc.json'\n", 1, []),
    ("set image --local changes the file's object and sends nothing",
     'set image --local -f {M}/deploy-web.yaml nginx=nginx:9',
     'deployment.apps/web image updated\n', '', 0, []),
    ('set image --local where the file already has the image prints nothing',
     'set image --local -f {M}/deploy-web.yaml nginx=nginx:1.28',
     '', '', 0, []),
    ('set image refuses a removal',
     'set image deploy/web nginx=x foo-',
     '', 'error: invalid image format: foo-\n', 1, []),
    ('taint -o jsonpath prints the node after the change',
     'taint nodes node-1 key1=v:NoSchedule -o jsonpath={.spec.taints}',
     '[{"effect":"NoSchedule","key":"key1","value":"v"}]', '', 0, ['PATCH nodes/node-1']),
    ('taint --dry-run=client -o jsonpath prints the changed node',
     'taint nodes node-1 key1=v:NoSchedule --dry-run=client -o jsonpath={.spec.taints}',
     '[{"effect":"NoSchedule","key":"key1","value":"v"}]', '', 0, []),
    ('taint --dry-run=client says tainted without a dry-run suffix',
     'taint nodes node-1 key1=v:PreferNoSchedule --dry-run=client',
     'node/node-1 tainted\n', '', 0, []),
    ('taint --dry-run=server says tainted without a dry-run suffix',
     'taint nodes node-1 key1=v:PreferNoSchedule --dry-run=server',
     'node/node-1 tainted\n', '', 0, ['PATCH nodes/node-1 dry-run']),
    ('taint --overwrite of an existing taint says modified',
     'taint nodes control-plane node-role.kubernetes.io/control-plane=x:NoSchedule --overwrite',
     'node/control-plane modified\n', '', 0, ['PATCH nodes/control-plane']),
    ('taint --overwrite of the same taint says modified',
     'taint nodes control-plane node-role.kubernetes.io/control-plane:NoSchedule --overwrite',
     'node/control-plane modified\n', '', 0, ['PATCH nodes/control-plane']),
    ('taint --overwrite of a new taint says modified too',
     'taint nodes node-1 key1=v:NoSchedule --overwrite',
     'node/node-1 modified\n', '', 0, ['PATCH nodes/node-1']),
    ('removing a taint says untainted',
     'taint nodes control-plane node-role.kubernetes.io/control-plane:NoSchedule-',
     'node/control-plane untainted\n', '', 0, ['PATCH nodes/control-plane']),
    ('removing one taint and adding another says modified',
     'taint nodes control-plane node-role.kubernetes.io/control-plane- key1=v:NoSchedule',
     'node/control-plane modified\n', '', 0, ['PATCH nodes/control-plane']),
    ("new taints come first in the node's list",
     'taint nodes node-2 k=v:NoSchedule -o jsonpath={.spec.taints[*].key}',
     'k node.kubernetes.io/unschedulable', '', 0, ['PATCH nodes/node-2']),
    ('taint --all taints every node',
     'taint nodes --all key1=v:NoSchedule',
     'node/control-plane tainted\nnode/node-1 tainted\nnode/node-2 tainted\n', '', 0, ['PATCH nodes/control-plane', 'PATCH nodes/node-1', 'PATCH nodes/node-2']),
    ('removing a taint the node does not have is an error',
     'taint nodes node-2 foo-',
     '', 'error: taint "foo" not found\n', 1, []),
    ('removing a missing taint from every node reports each node',
     'taint nodes --all foo-',
     '', 'taint "foo" not found\ntaint "foo" not found\ntaint "foo" not found\n', 1, []),
    ('two missing taints on one node are reported together',
     'taint nodes node-1 a- b-',
     '', 'taint "a" not found\ntaint "b" not found\n', 1, []),
    ('adding a taint the node has without --overwrite is refused',
     'taint nodes control-plane node-role.kubernetes.io/control-plane:NoSchedule',
     '', 'error: node control-plane already has node-role.kubernetes.io/control-plane taint(s) with same effect(s) and --overwrite is false\n', 1, []),
    ("taint of an unknown type is the RESTMapper's error",
     'taint foo node-1 k=v:NoSchedule',
     '', 'the server doesn\'t have a resource type "foo"\n', 1, []),
    ('taint without a resource is refused',
     'taint k=v:NoSchedule',
     '', 'error: one or more resources must be specified as <resource> <name>\n', 1, []),
    ('taint refuses --all with a selector',
     'taint nodes --all -l a=b k=v:NoSchedule',
     '', "error: setting 'all' parameter with a non empty selector is prohibited\n", 1, []),
    ('taint goes on after a missing node',
     'taint nodes nope node-1 k=v:NoSchedule',
     'node/node-1 tainted\n', 'Error from server (NotFound): nodes "nope" not found\n', 1, ['PATCH nodes/node-1']),
    ('scale of a missing object says no objects passed to scale',
     'scale deploy nope --replicas=1',
     '', 'error: no objects passed to scale deployments.apps "nope" not found\n', 1, []),
    ('scale of two missing objects lists both errors',
     'scale deploy nope nope2 --replicas=1',
     '', 'error: no objects passed to scale [deployments.apps "nope" not found, deployments.apps "nope2" not found]\n', 1, []),
    ('scale with a selector that matches nothing says no objects passed to scale',
     'scale deploy -l app=nope --replicas=1',
     '', 'error: no objects passed to scale\n', 1, []),
    ('scale goes on after a missing object and reports it at the end',
     'scale deploy web nope --replicas=3',
     'deployment.apps/web scaled\n', 'Error from server (NotFound): deployments.apps "nope" not found\n', 1, ['PATCH deployments/web/scale']),
    ('scale --dry-run=client prints any kind without asking for a scale subresource',
     'scale pod crash --replicas=1 --dry-run=client',
     'pod/crash scaled (dry run)\n', '', 0, []),
    ("label --local -o yaml prints the file's object with the new label",
     'label --local -f {M}/cm-cfg.yaml tier=y --overwrite -o yaml',
     'apiVersion: v1\ndata:\n  extra: "yes"\n  mode: dev\nkind: ConfigMap\nmetadata:\n  labels:\n    tier: "y"\n  name: cfg\n', '', 0, []),
    ("label --local checks --overwrite against the file's labels",
     'label --local -f {M}/cm-cfg.yaml tier=y',
     '', "error: 'tier' already has a value (x), and --overwrite is false\n", 1, []),
    ('label --local refuses resource arguments',
     'label --local pod crash a=b',
     '', 'error: can only use local files by -f pod.yaml or --filename=pod.json when --local=true is set\n', 1, []),
    ('annotate --local refuses resource arguments, in its own words',
     'annotate --local pod crash a=b',
     '', 'error: can only use local files by -f rsrc.yaml or --filename=rsrc.json when --local=true is set\n', 1, []),
    ("label --local --list lists the file's labels",
     'label --local -f {M}/cm-cfg.yaml --list',
     'tier=x\n', '', 0, []),
    ('annotate --local annotates every object of the file',
     'annotate --local -f {M}/multi.yaml a=b',
     'configmap/m1 annotated\nconfigmap/cfg annotated\nservice/s1 annotated\n', '', 0, []),
    ('label --local refuses --dry-run=server',
     'label --local -f {M}/cm-cfg.yaml a=b --dry-run=server',
     '', 'error: cannot specify --local and --dry-run=server - did you mean --dry-run=client?\n', 1, []),
]


@pytest.mark.parametrize("command, stdout, stderr, code, sent", [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_matches_real_kubectl(manifests, command, stdout, stderr, code, sent):
    objects = kubectl_worlds.WORLDS["cluster"](T)
    client = Recording(FakeClient(objects))
    now = parse_timestamp(kubectl_worlds.ts(T, 0))
    k = Kubectl(client, lambda: now, cluster=FakeLogs(client))
    result = k.run(shlex.split(command.replace("{M}", manifests)))
    assert (result.stdout, result.stderr, result.code) == (stdout, stderr, code)
    assert client.sent == sent


# --- end to end, on the simulated cluster -------------------------------------------------------------


@pytest.fixture
def cluster():
    from k8slearn import Cluster

    c = Cluster(workers=2, seed=0)
    c.kubectl("create deployment web --image=nginx:1.27 --replicas=2")
    c.kubectl("create configmap cfg --from-literal=mode=prod")
    c.settle()
    return c


def _pod(cluster):
    return cluster.kubectl("get pods -o jsonpath={.items[0].metadata.name}").stdout


NO_SCALE = "Error from server (NotFound): the server could not find the requested resource\n"  # (a 404 of .../scale)
SIM_CASES = [
    ("patch --local changes the file's object, not the cluster's",
     "patch --local -f {M}/cm-cfg.yaml -p '{\"data\":{\"a\":\"b\"}}' -o jsonpath={.data}",
     '{"a":"b","extra":"yes","mode":"dev"}', "", 0, False),
    ("patch --dry-run=client changes nothing",
     "patch cm cfg -p '{\"data\":{\"mode\":\"dev\"}}' --dry-run=client", "configmap/cfg patched\n", "", 0, False),
    ("patch --dry-run=server changes nothing either",
     "patch cm cfg -p '{\"data\":{\"mode\":\"dev\"}}' --dry-run=server", "configmap/cfg patched\n", "", 0, False),
    ("patch of a type without a name patches nothing",
     "patch cm -p '{\"data\":{}}'", "", "error: resource(s) were provided, but no name was specified\n", 1, False),
    ("set image --dry-run=client shows the new image and changes nothing",
     "set image deploy/web nginx=nginx:1.28 --dry-run=client -o jsonpath={..image}", "nginx:1.28", "", 0, False),
    ("set image to the current image prints nothing and changes nothing",
     "set image deploy/web nginx=nginx:1.27", "", "", 0, False),
    ("set image changes the image",
     "set image deploy/web nginx=nginx:1.28", "deployment.apps/web image updated\n", "", 0, True),
    ("taint prints the node after the change, the new taint first",
     "taint nodes control-plane k=v:NoSchedule -o jsonpath={.spec.taints[*].key}",
     "k node-role.kubernetes.io/control-plane", "", 0, True),
    ("taint --dry-run=client says tainted and changes nothing",
     "taint nodes node-1 k=v:NoSchedule --dry-run=client", "node/node-1 tainted\n", "", 0, False),
    ("taint --dry-run=server says tainted and changes nothing",
     "taint nodes node-1 k=v:NoSchedule --dry-run=server", "node/node-1 tainted\n", "", 0, False),
    ("scale with a selector that matches nothing is an error",
     "scale deploy -l app=nope --replicas=1", "", "error: no objects passed to scale\n", 1, False),
    ("scale of a pod: the API server has no scale subresource for it",
     "scale pod {POD} --replicas=1", "", NO_SCALE, 1, False),
    ("scale of a service: the same",
     "scale svc kubernetes --replicas=1", "", NO_SCALE, 1, False),
    ("label --local changes nothing on the cluster",
     "label --local -f {M}/cm-cfg.yaml a=b", "configmap/cfg labeled\n", "", 0, False),
    ("set image --local changes nothing on the cluster",
     "set image --local -f {M}/deploy-web.yaml nginx=nginx:9", "deployment.apps/web image updated\n", "", 0, False),
]


@pytest.mark.parametrize("command, stdout, stderr, code, changes", [c[1:] for c in SIM_CASES],
                         ids=[c[0] for c in SIM_CASES])
def test_on_the_simulated_cluster(cluster, manifests, command, stdout, stderr, code, changes):
    before = cluster.etcd.revision
    command = command.replace("{M}", manifests).replace("{POD}", _pod(cluster))
    result = cluster.kubectl(shlex.split(command))
    assert (result.stdout, result.stderr, result.code) == (stdout, stderr, code)
    assert (cluster.etcd.revision != before) == changes


def test_patch_local_leaves_the_configmap_as_it_was(cluster, manifests):
    cluster.kubectl(["patch", "--local", "-f", f"{manifests}/cm-cfg.yaml", "-p", '{"data":{"a":"b"}}'])
    assert cluster.api.get("configmaps", "cfg")["data"] == {"mode": "prod"}
