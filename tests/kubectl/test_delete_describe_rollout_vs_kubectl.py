"""delete, describe, rollout and jsonpath against the real kubectl v1.32: the texts below were
recorded from the kubectl 1.32 binary, on the worlds of kubectl_worlds.py (served by
kubectl_realserver.py), and k8slearn runs on the same world (kubectl_kit.FakeClient) at the same
instant. ``{dir}`` is where the test writes the manifests of ``FILES``; resource versions are
compared as ``RV`` (the recording server numbers them by request). kubectl describes a ConfigMap's
keys in Go's random map order: the recordings kept are the runs in sorted order, as k8slearn prints.

The end of the file runs some of the same commands on a live simulated cluster."""

import re
import shlex

import kubectl_worlds
import pytest
from kubectl_kit import kubectl_at

T = 1795819604

FILES = {
    "cm-cfg.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cfg\n  labels:\n    tier: x\n"
                   "data:\n  mode: dev\n  extra: \"yes\"\n",
    "multi.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: m1\ndata:\n  k: v\n---\n"
                  "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cfg\ndata:\n  mode: prod\n"
                  "  app.conf: |\n    x=1\n---\napiVersion: v1\nkind: Service\nmetadata:\n  name: s1\n"
                  "spec:\n  selector:\n    app: web\n  ports:\n  - port: 80\n",
    "svc-web.yaml": "apiVersion: v1\nkind: Service\nmetadata:\n  name: web\nspec:\n  selector:\n    app: web\n"
                    "  ports:\n  - name: http\n    port: 8080\n    targetPort: 8080\n",
    "cm-new.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: newcm\ndata:\n  a: \"1\"\n  b: two\n",
}

_RV = re.compile(r'(resourceVersion"?: ?)"\d+"')


def _norm(text):
    return _RV.sub(r'\1"RV"', text)


CASES = [
    pytest.param("cluster", "delete pod crash --all", "",
                 "",
                 'error: name cannot be provided when a selector is specified\n', 1,
                 id="delete refuses a name together with --all"),
    pytest.param("cluster", "delete pod/crash --all", "",
                 "",
                 ('error: selectors and the all flag cannot be used when passing resource/n'
                  'ame arguments\n'), 1,
                 id="delete refuses TYPE/NAME together with --all"),
    pytest.param("cluster", "delete pods --all -l app=web", "",
                 "",
                 "error: setting 'all' parameter but found a non empty selector. \n", 1,
                 id="delete refuses --all together with -l, with the builder's words"),
    pytest.param("cluster", "delete --all", "",
                 "",
                 'error: at least one resource must be specified to use a selector\n', 1,
                 id="delete --all without a type asks for one"),
    pytest.param("cluster", "delete pod crash --field-selector=status.phase=Running", "",
                 "",
                 'error: name cannot be provided when a selector is specified\n', 1,
                 id="delete with a field selector refuses a name"),
    pytest.param("cluster", "label pod crash foo=bar --field-selector=status.phase=Running", "",
                 "",
                 'error: name cannot be provided when a selector is specified\n', 1,
                 id="label with a field selector refuses a name"),
    pytest.param("cluster", "label pod/crash foo=bar -l app=web", "",
                 "",
                 ('error: selectors and the all flag cannot be used when passing resource/n'
                  'ame arguments\n'), 1,
                 id="label with -l refuses TYPE/NAME"),
    pytest.param("cluster", "delete -f {dir}/cm-cfg.yaml pod crash", "",
                 "",
                 ('error: when paths, URLs, or stdin is provided as input, you may not spec'
                  'ify resource arguments as well\n'), 1,
                 id="delete refuses resource arguments next to -f"),
    pytest.param("cluster", "delete pod/crash -f {dir}/cm-cfg.yaml", "",
                 "",
                 ('error: resource/name arguments cannot be provided when a path is specifi'
                  'ed\n'), 1,
                 id="delete refuses TYPE/NAME next to -f"),
    pytest.param("cluster", "delete -f {dir}/cm-cfg.yaml -l tier=x --dry-run=client", "",
                 'configmap "cfg" deleted (dry run)\n',
                 "", 0,
                 id="delete -f filters the files' objects by their own labels"),
    pytest.param("cluster", "delete -f {dir}/cm-cfg.yaml -l app=nope", "",
                 'No resources found\n',
                 "", 0,
                 id="delete -f of objects that a selector does not match finds nothing"),
    pytest.param("cluster", "delete -f {dir}/multi.yaml", "",
                 'configmap "cfg" deleted\n',
                 ('Error from server (NotFound): error when deleting "{dir}/multi.yaml": co'
                  'nfigmaps "m1" not found\n'
                  'Error from server (NotFound): error when deleting "{dir}/multi.yaml": se'
                  'rvices "s1" not found\n'), 1,
                 id="delete -f names the file in each NotFound"),
    pytest.param("cluster", "delete -f {dir}/cm-new.yaml", "",
                 "",
                 ('Error from server (NotFound): error when deleting "{dir}/cm-new.yaml": c'
                  'onfigmaps "newcm" not found\n'), 1,
                 id="delete -f of a missing object names the file"),
    pytest.param("cluster", "delete pod crash -i", "y\n",
                 ('You are about to delete the following 1 resource(s):\n'
                  'pod/crash\n'
                  'Do you want to continue? (y/n): pod "crash" deleted\n'),
                 "", 0,
                 id="delete -i lists the objects and deletes on y"),
    pytest.param("cluster", "delete pod crash -i", "Y\n",
                 ('You are about to delete the following 1 resource(s):\n'
                  'pod/crash\n'
                  'Do you want to continue? (y/n): pod "crash" deleted\n'),
                 "", 0,
                 id="delete -i takes Y as yes"),
    pytest.param("cluster", "delete pod crash -i", "n\n",
                 ('You are about to delete the following 1 resource(s):\n'
                  'pod/crash\n'
                  'Do you want to continue? (y/n): deletion is cancelled\n'),
                 "", 0,
                 id="delete -i cancels on n"),
    pytest.param("cluster", "delete pod crash -i", "yes\n",
                 ('You are about to delete the following 1 resource(s):\n'
                  'pod/crash\n'
                  'Do you want to continue? (y/n): deletion is cancelled\n'),
                 "", 0,
                 id="delete -i cancels on yes (only y is yes)"),
    pytest.param("cluster", "delete pod crash -i", "",
                 ('You are about to delete the following 1 resource(s):\n'
                  'pod/crash\n'
                  'Do you want to continue? (y/n): deletion is cancelled\n'),
                 "", 0,
                 id="delete -i cancels when stdin is empty"),
    pytest.param("cluster", "delete pod crash nope -i", "y\n",
                 ('You are about to delete the following 2 resource(s):\n'
                  'pod/crash\n'
                  'pod/nope\n'
                  'Do you want to continue? (y/n): pod "crash" deleted\n'),
                 'Error from server (NotFound): pods "nope" not found\n', 1,
                 id="delete -i lists a missing name too and its delete fails"),
    pytest.param("cluster", "delete pods -l app=web -i", "n\n",
                 ('You are about to delete the following 4 resource(s):\n'
                  'pod/crash\n'
                  'pod/initwait\n'
                  'pod/web-7c4b4cb947-abcde\n'
                  'pod/web-7c4b4cb947-fghij\n'
                  'Do you want to continue? (y/n): deletion is cancelled\n'),
                 "", 0,
                 id="delete -i lists what the selector matches"),
    pytest.param("cluster", "delete pods -l app=nope -i", "",
                 'No resources found\n',
                 "", 0,
                 id="delete -i with a selector that matches nothing asks nothing"),
    pytest.param("cluster", "delete pod crash -i -o name", "y\n",
                 ('You are about to delete the following 1 resource(s):\n'
                  'pod/crash\n'
                  'Do you want to continue? (y/n): pod/crash\n'),
                 "", 0,
                 id="delete -i then -o name"),
    pytest.param("cluster", "delete pod crash -i --dry-run=client", "y\n",
                 ('You are about to delete the following 1 resource(s):\n'
                  'pod/crash\n'
                  'Do you want to continue? (y/n): pod "crash" deleted (dry run)\n'),
                 "", 0,
                 id="delete -i with --dry-run=client"),
    pytest.param("cluster", "delete -f {dir}/multi.yaml -i", "y\n",
                 ('You are about to delete the following 3 resource(s):\n'
                  'configmap/m1\n'
                  'configmap/cfg\n'
                  'service/s1\n'
                  'Do you want to continue? (y/n): configmap "cfg" deleted\n'),
                 ('Error from server (NotFound): error when deleting "{dir}/multi.yaml": co'
                  'nfigmaps "m1" not found\n'
                  'Error from server (NotFound): error when deleting "{dir}/multi.yaml": se'
                  'rvices "s1" not found\n'), 1,
                 id="delete -i of files"),
    pytest.param("cluster", "delete pod crash -i --raw /x", "y\n",
                 "",
                 'error: --interactive can not be used with --raw\n', 1,
                 id="delete refuses --interactive with --raw"),
    pytest.param("cluster", "delete pod crash --raw x", "",
                 "",
                 ('error: --raw must be a valid URL path: parse "x": invalid URI for reques'
                  't\n'), 1,
                 id="delete --raw must be a path"),
    pytest.param("cluster", "delete pod crash --raw /x -o name", "",
                 "",
                 'error: --raw and --output are mutually exclusive\n', 1,
                 id="delete --raw refuses -o"),
    pytest.param("cluster", "delete --raw /x -R", "",
                 "",
                 'error: --raw and --recursive are mutually exclusive\n', 1,
                 id="delete --raw refuses -R"),
    pytest.param("cluster", "delete pod crash --cascade=bogus", "",
                 "",
                 ('error: invalid cascade value (bogus). Must be "background", "foreground"'
                  ', or "orphan"\n'), 1,
                 id="delete refuses a bogus cascade without a trailing period"),
    pytest.param("cluster", "delete pod crash --cascade=false --dry-run=client", "",
                 'pod "crash" deleted (dry run)\n',
                 ('warning: --cascade=false is deprecated (boolean value) and can be replac'
                  'ed with --cascade=orphan.\n'), 0,
                 id="delete --cascade=false warns it is deprecated"),
    pytest.param("cluster", "delete pod crash --cascade=1 --dry-run=client", "",
                 'pod "crash" deleted (dry run)\n',
                 ('warning: --cascade=1 is deprecated (boolean value) and can be replaced w'
                  'ith --cascade=background.\n'), 0,
                 id="delete --cascade=1 is a Go bool too"),
    pytest.param("cluster", "delete pod crash -o yaml", "",
                 "",
                 "error: unexpected -o output mode: yaml. We only support '-o name'\n", 1,
                 id="delete prints only names"),
    pytest.param("cluster", "delete node node-2 node-1 -n default --dry-run=client", "",
                 ('node "node-2" deleted (dry run)\n'
                  'node "node-1" deleted (dry run)\n'),
                 ('Warning: deleting cluster-scoped resources, not scoped to the provided n'
                  'amespace\n'), 0,
                 id="delete warns of cluster-scoped objects when -n is given"),
    pytest.param("cluster", "delete pods -l app=nope --ignore-not-found", "",
                 'No resources found\n',
                 "", 0,
                 id="delete -l that matches nothing says so even with --ignore-not-found"),
    pytest.param("cluster", "delete pod crash -A", "",
                 "",
                 'error: a resource cannot be retrieved by name across all namespaces\n', 1,
                 id="delete by name refuses --all-namespaces"),
    pytest.param("cluster", "scale deploy --replicas=1", "",
                 "",
                 'error: resource(s) were provided, but no name was specified\n', 1,
                 id="scale of a type without a name is refused"),
    pytest.param("cluster", "set env deployments A=B", "",
                 "",
                 'error: resource(s) were provided, but no name was specified\n', 1,
                 id="set env of a type without a name is refused"),
    pytest.param("cluster", "patch cm -p {}", "",
                 "",
                 'error: resource(s) were provided, but no name was specified\n', 1,
                 id="patch of a type without a name is refused"),
    pytest.param("cluster", "wait pods --for=delete --timeout=1s", "",
                 "",
                 'error: resource(s) were provided, but no name was specified\n', 1,
                 id="wait of a type without a name is refused"),
    pytest.param("cluster", "rollout pause deploy/web -o name", "",
                 'deployment.apps/web\n',
                 "", 0,
                 id="rollout pause -o name prints only the name"),
    pytest.param("cluster", "rollout pause deploy/web -o jsonpath={.spec.paused}", "",
                 'true',
                 "", 0,
                 id="rollout pause -o jsonpath prints the paused object"),
    pytest.param("cluster", "rollout restart", "",
                 "",
                 'error: required resource not specified\n', 1,
                 id="rollout restart without a resource"),
    pytest.param("workloads", "rollout history sts/web -o name", "",
                 ('statefulset.apps/web\n'
                  'statefulset.apps/web\n'),
                 "", 0,
                 id="rollout history -o name of a StatefulSet prints the set once per revision"),
    pytest.param("workloads", "rollout history sts/web --revision=2 -o jsonpath={.spec.template.spec.containers[0].image}", "",
                 'registry.k8s.io/nginx-slim:0.24',
                 "", 0,
                 id="rollout history --revision -o jsonpath of a StatefulSet reads that revision's template"),
    pytest.param("workloads", "rollout history sts/web --revision=1 -o yaml", "",
                 ('apiVersion: apps/v1\n'
                  'kind: StatefulSet\n'
                  'metadata:\n'
                  '  annotations:\n'
                  '    kubectl.kubernetes.io/last-applied-configuration: |\n'
                  '      {"apiVersion":"apps/v1","kind":"StatefulSet","metadata":{"annotati'
                  'ons":{},"name":"web","namespace":"default"},"spec":{"replicas":2,"select'
                  'or":{"matchLabels":{"app":"nginx"}},"serviceName":"nginx","template":{"m'
                  'etadata":{"labels":{"app":"nginx"}},"spec":{"containers":[{"image":"regi'
                  'stry.k8s.io/nginx-slim:0.21","name":"nginx","ports":[{"containerPort":80'
                  ',"name":"web"}],"volumeMounts":[{"mountPath":"/usr/share/nginx/html","na'
                  'me":"www"}]}]}},"volumeClaimTemplates":[{"metadata":{"name":"www"},"spec'
                  '":{"accessModes":["ReadWriteOnce"],"resources":{"requests":{"storage":"1'
                  'Gi"}}}}]}}\n'
                  '  creationTimestamp: "2026-11-27T22:43:39Z"\n'
                  '  generation: 2\n'
                  '  name: web\n'
                  '  namespace: default\n'
                  '  resourceVersion: "RV"\n'
                  '  uid: 964a870c-7c87-4b74-9d87-8f9f9cdf5a86\n'
                  'spec:\n'
                  '  persistentVolumeClaimRetentionPolicy:\n'
                  '    whenDeleted: Retain\n'
                  '    whenScaled: Retain\n'
                  '  podManagementPolicy: OrderedReady\n'
                  '  replicas: 2\n'
                  '  revisionHistoryLimit: 10\n'
                  '  selector:\n'
                  '    matchLabels:\n'
                  '      app: nginx\n'
                  '  serviceName: nginx\n'
                  '  template:\n'
                  '    metadata:\n'
                  '      creationTimestamp: null\n'
                  '      labels:\n'
                  '        app: nginx\n'
                  '    spec:\n'
                  '      containers:\n'
                  '      - image: registry.k8s.io/nginx-slim:0.21\n'
                  '        imagePullPolicy: IfNotPresent\n'
                  '        name: nginx\n'
                  '        ports:\n'
                  '        - containerPort: 80\n'
                  '          name: web\n'
                  '          protocol: TCP\n'
                  '        resources: {}\n'
                  '        terminationMessagePath: /dev/termination-log\n'
                  '        terminationMessagePolicy: File\n'
                  '        volumeMounts:\n'
                  '        - mountPath: /usr/share/nginx/html\n'
                  '          name: www\n'
                  '      dnsPolicy: ClusterFirst\n'
                  '      restartPolicy: Always\n'
                  '      schedulerName: default-scheduler\n'
                  '      securityContext: {}\n'
                  '      terminationGracePeriodSeconds: 30\n'
                  '  updateStrategy:\n'
                  '    rollingUpdate:\n'
                  '      partition: 0\n'
                  '    type: RollingUpdate\n'
                  '  volumeClaimTemplates:\n'
                  '  - metadata:\n'
                  '      creationTimestamp: null\n'
                  '      name: www\n'
                  '    spec:\n'
                  '      accessModes:\n'
                  '      - ReadWriteOnce\n'
                  '      resources:\n'
                  '        requests:\n'
                  '          storage: 1Gi\n'
                  '    status: {}\n'
                  'status:\n'
                  '  availableReplicas: 2\n'
                  '  collisionCount: 0\n'
                  '  currentReplicas: 2\n'
                  '  currentRevision: web-7d6d54cbf\n'
                  '  observedGeneration: 2\n'
                  '  readyReplicas: 2\n'
                  '  replicas: 2\n'
                  '  updateRevision: web-7d6d54cbf\n'
                  '  updatedReplicas: 2\n'),
                 "", 0,
                 id="rollout history --revision -o yaml of a StatefulSet prints the set with that template"),
    pytest.param("cluster", "describe -f {dir}/cm-cfg.yaml", "",
                 ('Name:         cfg\n'
                  'Namespace:    default\n'
                  'Labels:       <none>\n'
                  'Annotations:  <none>\n'
                  '\n'
                  'Data\n'
                  '====\n'
                  'app.conf:\n'
                  '----\n'
                  'x=1\n'
                  '\n'
                  '\n'
                  'mode:\n'
                  '----\n'
                  'prod\n'
                  '\n'
                  '\n'
                  'BinaryData\n'
                  '====\n'
                  '\n'
                  'Events:  <none>\n'),
                 "", 0,
                 id="describe -f describes the file's object from the server"),
    pytest.param("cluster", "describe -f {dir}/svc-web.yaml", "",
                 ('Name:                     web\n'
                  'Namespace:                default\n'
                  'Labels:                   app=web\n'
                  'Annotations:              <none>\n'
                  'Selector:                 app=web\n'
                  'Type:                     NodePort\n'
                  'IP Family Policy:         SingleStack\n'
                  'IP Families:              IPv4\n'
                  'IP:                       10.96.100.10\n'
                  'IPs:                      10.96.100.10\n'
                  'Port:                     http  80/TCP\n'
                  'TargetPort:               8080/TCP\n'
                  'Endpoints:                10.244.1.5:8080\n'
                  'Port:                     metrics  9090/TCP\n'
                  'TargetPort:               metrics/TCP\n'
                  'NodePort:                 metrics  30090/TCP\n'
                  'Endpoints:                10.244.1.5:9090\n'
                  'Session Affinity:         None\n'
                  'External Traffic Policy:  Cluster\n'
                  'Internal Traffic Policy:  Cluster\n'
                  'Events:                   <none>\n'),
                 "", 0,
                 id="describe -f of a Service"),
    pytest.param("cluster", "describe -f {dir}/multi.yaml", "",
                 ('Name:         cfg\n'
                  'Namespace:    default\n'
                  'Labels:       <none>\n'
                  'Annotations:  <none>\n'
                  '\n'
                  'Data\n'
                  '====\n'
                  'app.conf:\n'
                  '----\n'
                  'x=1\n'
                  '\n'
                  '\n'
                  'mode:\n'
                  '----\n'
                  'prod\n'
                  '\n'
                  '\n'
                  'BinaryData\n'
                  '====\n'
                  '\n'
                  'Events:  <none>\n'),
                 ('Error from server (NotFound): configmaps "m1" not found\n'
                  'Error from server (NotFound): services "s1" not found\n'), 1,
                 id="describe -f reports the missing objects after the found ones"),
    pytest.param("cluster", "describe -f {dir}/cm-cfg.yaml pod", "",
                 "",
                 ('error: when paths, URLs, or stdin is provided as input, you may not spec'
                  'ify resource arguments as well\n'), 1,
                 id="describe refuses resource arguments next to -f"),
    pytest.param("cluster", "describe nodes -l foo=bar", "",
                 "",
                 'No resources found in default namespace.\n', 0,
                 id="describe of a cluster-scoped type that matches nothing names the namespace"),
    pytest.param("cluster", "describe pod/crash -l app=web", "",
                 "",
                 ('error: selectors and the all flag cannot be used when passing resource/n'
                  'ame arguments\n'), 1,
                 id="describe refuses TYPE/NAME with -l"),
    pytest.param("cluster", "describe svc kubernetes", "",
                 ('Name:                     kubernetes\n'
                  'Namespace:                default\n'
                  'Labels:                   component=apiserver\n'
                  '                          provider=kubernetes\n'
                  'Annotations:              <none>\n'
                  'Selector:                 <none>\n'
                  'Type:                     ClusterIP\n'
                  'IP Family Policy:         SingleStack\n'
                  'IP Families:              IPv4\n'
                  'IP:                       10.96.0.1\n'
                  'IPs:                      10.96.0.1\n'
                  'Port:                     https  443/TCP\n'
                  'TargetPort:               6443/TCP\n'
                  'Endpoints:                <none>\n'
                  'Session Affinity:         None\n'
                  'Internal Traffic Policy:  Cluster\n'
                  'Events:                   <none>\n'),
                 "", 0,
                 id="describe service reads only EndpointSlices (no slice: none)"),
    pytest.param("cluster", "get pod crash -o jsonpath={.metadata.nope} --allow-missing-template-keys=false", "",
                 "",
                 ('error: error executing jsonpath "{.metadata.nope}": Error executing temp'
                  'late: nope is not found. Printing more information for debugging the tem'
                  'plate:\n'
                  '\ttemplate was:\n'
                  '\t\t{.metadata.nope}\n'
                  '\tobject given to jsonpath engine was:\n'
                  '\t\tmap[string]interface {}{"apiVersion":"v1", "kind":"Pod", "metadata":ma'
                  'p[string]interface {}{"annotations":map[string]interface {}{"kubectl.kub'
                  'ernetes.io/last-applied-configuration":"{}\\n", "note":"xxxxxxxxxxxxxxxxx'
                  'xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx'
                  'xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx", "short":'
                  '"v"}, "creationTimestamp":"2026-11-27T22:43:24Z", "generateName":"web-7c'
                  '4b4cb947-", "labels":map[string]interface {}{"app":"web", "pod-template-'
                  'hash":"7c4b4cb947"}, "name":"crash", "namespace":"default", "resourceVer'
                  'sion":"RV", "uid":"p-crash"}, "spec":map[string]interface {}{"containers'
                  '":[]interface {}{map[string]interface {}{"args":[]interface {}{"echo sta'
                  'rt; exit 1"}, "command":[]interface {}{"sh", "-c"}, "env":[]interface {}'
                  '{map[string]interface {}{"name":"POD_IP", "valueFrom":map[string]interfa'
                  'ce {}{"fieldRef":map[string]interface {}{"apiVersion":"v1", "fieldPath":'
                  '"status.podIP"}}}, map[string]interface {}{"name":"PASS", "valueFrom":ma'
                  'p[string]interface {}{"secretKeyRef":map[string]interface {}{"key":"pass'
                  'word", "name":"db"}}}, map[string]interface {}{"name":"MULTI", "value":"'
                  'a\\nb"}}, "envFrom":[]interface {}{map[string]interface {}{"configMapRef"'
                  ':map[string]interface {}{"name":"cfg"}}}, "image":"nginx:1.27", "imagePu'
                  'llPolicy":"IfNotPresent", "livenessProbe":map[string]interface {}{"failu'
                  'reThreshold":3, "httpGet":map[string]interface {}{"path":"/healthz", "po'
                  'rt":80, "scheme":"HTTP"}, "initialDelaySeconds":3, "periodSeconds":10, "'
                  'successThreshold":1, "timeoutSeconds":1}, "name":"nginx", "ports":[]inte'
                  'rface {}{map[string]interface {}{"containerPort":80, "protocol":"TCP"}},'
                  ' "readinessProbe":map[string]interface {}{"exec":map[string]interface {}'
                  '{"command":[]interface {}{"cat", "/tmp/ready"}}, "failureThreshold":3, "'
                  'periodSeconds":5, "successThreshold":1, "timeoutSeconds":1}, "resources"'
                  ':map[string]interface {}{"limits":map[string]interface {}{"cpu":"500m", '
                  '"memory":"128Mi"}, "requests":map[string]interface {}{"cpu":"500m", "mem'
                  'ory":"128Mi"}}, "terminationMessagePath":"/dev/termination-log", "termin'
                  'ationMessagePolicy":"File", "volumeMounts":[]interface {}{map[string]int'
                  'erface {}{"mountPath":"/data", "name":"data"}, map[string]interface {}{"'
                  'mountPath":"/etc/cfg", "name":"cfg", "readOnly":true, "subPath":"app.con'
                  'f"}}}}, "dnsPolicy":"ClusterFirst", "initContainers":[]interface {}{map['
                  'string]interface {}{"command":[]interface {}{"sh", "-c", "until nslookup'
                  ' db; do sleep 2; done"}, "image":"busybox:1.36", "imagePullPolicy":"IfNo'
                  'tPresent", "name":"init-db", "resources":map[string]interface {}{}, "ter'
                  'minationMessagePath":"/dev/termination-log", "terminationMessagePolicy":'
                  '"File"}}, "nodeName":"node-1", "nodeSelector":map[string]interface {}{"d'
                  'isktype":"ssd"}, "priority":0, "restartPolicy":"Always", "schedulerName"'
                  ':"default-scheduler", "securityContext":map[string]interface {}{}, "serv'
                  'iceAccount":"default", "serviceAccountName":"default", "terminationGrace'
                  'PeriodSeconds":30, "tolerations":[]interface {}{map[string]interface {}{'
                  '"effect":"NoExecute", "key":"node.kubernetes.io/not-ready", "operator":"'
                  'Exists", "tolerationSeconds":300}, map[string]interface {}{"effect":"NoE'
                  'xecute", "key":"node.kubernetes.io/unreachable", "operator":"Exists", "t'
                  'olerationSeconds":300}}, "volumes":[]interface {}{map[string]interface {'
                  '}{"emptyDir":map[string]interface {}{}, "name":"data"}, map[string]inter'
                  'face {}{"configMap":map[string]interface {}{"defaultMode":420, "name":"c'
                  'fg"}, "name":"cfg"}, map[string]interface {}{"hostPath":map[string]inter'
                  'face {}{"path":"/var/log", "type":"Directory"}, "name":"host"}, map[stri'
                  'ng]interface {}{"name":"sec", "secret":map[string]interface {}{"defaultM'
                  'ode":420, "secretName":"db"}}}}, "status":map[string]interface {}{"condi'
                  'tions":[]interface {}{map[string]interface {}{"lastProbeTime":interface '
                  '{}(nil), "lastTransitionTime":"2026-11-27T22:43:24Z", "status":"True", "'
                  'type":"Initialized"}, map[string]interface {}{"lastProbeTime":interface '
                  '{}(nil), "lastTransitionTime":"2026-11-27T22:45:05Z", "message":"contain'
                  'ers with unready status: [nginx]", "reason":"ContainersNotReady", "statu'
                  's":"False", "type":"Ready"}}, "containerStatuses":[]interface {}{map[str'
                  'ing]interface {}{"containerID":"containerd://bbb", "image":"docker.io/li'
                  'brary/nginx:1.27", "imageID":"docker.io/library/nginx@sha256:abc", "last'
                  'State":map[string]interface {}{"terminated":map[string]interface {}{"con'
                  'tainerID":"containerd://bbb", "exitCode":1, "finishedAt":"2026-11-27T22:'
                  '45:05Z", "reason":"Error", "startedAt":"2026-11-27T22:45:04Z"}}, "name":'
                  '"nginx", "ready":false, "restartCount":3, "started":false, "state":map[s'
                  'tring]interface {}{"waiting":map[string]interface {}{"message":"back-off'
                  ' 40s restarting failed container=nginx pod=crash_default(p-crash)", "rea'
                  'son":"CrashLoopBackOff"}}}}, "hostIP":"192.168.0.11", "initContainerStat'
                  'uses":[]interface {}{map[string]interface {}{"containerID":"containerd:/'
                  '/ccc", "image":"docker.io/library/busybox:1.36", "imageID":"docker.io/li'
                  'brary/busybox@sha256:def", "lastState":map[string]interface {}{}, "name"'
                  ':"init-db", "ready":true, "restartCount":0, "started":false, "state":map'
                  '[string]interface {}{"terminated":map[string]interface {}{"containerID":'
                  '"containerd://ccc", "exitCode":0, "finishedAt":"2026-11-27T22:43:34Z", "'
                  'reason":"Completed", "startedAt":"2026-11-27T22:43:29Z"}}}}, "phase":"Ru'
                  'nning", "podIP":"10.244.1.7", "podIPs":[]interface {}{map[string]interfa'
                  'ce {}{"ip":"10.244.1.7"}}, "qosClass":"Guaranteed", "startTime":"2026-11'
                  '-27T22:43:25Z"}}\n'
                  '\n'
                  '\n'), 1,
                 id="jsonpath with --allow-missing-template-keys=false fails on a missing key"),
    pytest.param("cluster", "get pod crash -o jsonpath={.metadata.name} --allow-missing-template-keys=false", "",
                 'crash',
                 "", 0,
                 id="jsonpath with --allow-missing-template-keys=false prints present keys"),
    pytest.param("cluster", "get pods -o 'jsonpath={range .items[*]}{.status.nominatedNodeName}{\"\\n\"}{end}' --allow-missing-template-keys=false", "",
                 "",
                 ('error: error executing jsonpath "{range .items[*]}{.status.nominatedNode'
                  'Name}{\\"\\\\n\\"}{end}": Error executing template: nominatedNodeName is not'
                  ' found. Printing more information for debugging the template:\n'
                  '\ttemplate was:\n'
                  '\t\t{range .items[*]}{.status.nominatedNodeName}{"\\n"}{end}\n'
                  '\tobject given to jsonpath engine was:\n'
                  '\t\tmap[string]interface {}{"apiVersion":"v1", "items":[]interface {}{map['
                  'string]interface {}{"apiVersion":"v1", "kind":"Pod", "metadata":map[stri'
                  'ng]interface {}{"annotations":map[string]interface {}{"kubectl.kubernete'
                  's.io/last-applied-configuration":"{}\\n", "note":"xxxxxxxxxxxxxxxxxxxxxxx'
                  'xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx'
                  'xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx", "short":"v"}, '
                  '"creationTimestamp":"2026-11-27T22:43:24Z", "generateName":"web-7c4b4cb9'
                  '47-", "labels":map[string]interface {}{"app":"web", "pod-template-hash":'
                  '"7c4b4cb947"}, "name":"crash", "namespace":"default", "resourceVersion":'
                  '"RV", "uid":"p-crash"}, "spec":map[string]interface {}{"containers":[]in'
                  'terface {}{map[string]interface {}{"args":[]interface {}{"echo start; ex'
                  'it 1"}, "command":[]interface {}{"sh", "-c"}, "env":[]interface {}{map[s'
                  'tring]interface {}{"name":"POD_IP", "valueFrom":map[string]interface {}{'
                  '"fieldRef":map[string]interface {}{"apiVersion":"v1", "fieldPath":"statu'
                  's.podIP"}}}, map[string]interface {}{"name":"PASS", "valueFrom":map[stri'
                  'ng]interface {}{"secretKeyRef":map[string]interface {}{"key":"password",'
                  ' "name":"db"}}}, map[string]interface {}{"name":"MULTI", "value":"a\\nb"}'
                  '}, "envFrom":[]interface {}{map[string]interface {}{"configMapRef":map[s'
                  'tring]interface {}{"name":"cfg"}}}, "image":"nginx:1.27", "imagePullPoli'
                  'cy":"IfNotPresent", "livenessProbe":map[string]interface {}{"failureThre'
                  'shold":3, "httpGet":map[string]interface {}{"path":"/healthz", "port":80'
                  ', "scheme":"HTTP"}, "initialDelaySeconds":3, "periodSeconds":10, "succes'
                  'sThreshold":1, "timeoutSeconds":1}, "name":"nginx", "ports":[]interface '
                  '{}{map[string]interface {}{"containerPort":80, "protocol":"TCP"}}, "read'
                  'inessProbe":map[string]interface {}{"exec":map[string]interface {}{"comm'
                  'and":[]interface {}{"cat", "/tmp/ready"}}, "failureThreshold":3, "period'
                  'Seconds":5, "successThreshold":1, "timeoutSeconds":1}, "resources":map[s'
                  'tring]interface {}{"limits":map[string]interface {}{"cpu":"500m", "memor'
                  'y":"128Mi"}, "requests":map[string]interface {}{"cpu":"500m", "memory":"'
                  '128Mi"}}, "terminationMessagePath":"/dev/termination-log", "terminationM'
                  'essagePolicy":"File", "volumeMounts":[]interface {}{map[string]interface'
                  ' {}{"mountPath":"/data", "name":"data"}, map[string]interface {}{"mountP'
                  'ath":"/etc/cfg", "name":"cfg", "readOnly":true, "subPath":"app.conf"}}}}'
                  ', "dnsPolicy":"ClusterFirst", "initContainers":[]interface {}{map[string'
                  ']interface {}{"command":[]interface {}{"sh", "-c", "until nslookup db; d'
                  'o sleep 2; done"}, "image":"busybox:1.36", "imagePullPolicy":"IfNotPrese'
                  'nt", "name":"init-db", "resources":map[string]interface {}{}, "terminati'
                  'onMessagePath":"/dev/termination-log", "terminationMessagePolicy":"File"'
                  '}}, "nodeName":"node-1", "nodeSelector":map[string]interface {}{"disktyp'
                  'e":"ssd"}, "priority":0, "restartPolicy":"Always", "schedulerName":"defa'
                  'ult-scheduler", "securityContext":map[string]interface {}{}, "serviceAcc'
                  'ount":"default", "serviceAccountName":"default", "terminationGracePeriod'
                  'Seconds":30, "tolerations":[]interface {}{map[string]interface {}{"effec'
                  't":"NoExecute", "key":"node.kubernetes.io/not-ready", "operator":"Exists'
                  '", "tolerationSeconds":300}, map[string]interface {}{"effect":"NoExecute'
                  '", "key":"node.kubernetes.io/unreachable", "operator":"Exists", "tolerat'
                  'ionSeconds":300}}, "volumes":[]interface {}{map[string]interface {}{"emp'
                  'tyDir":map[string]interface {}{}, "name":"data"}, map[string]interface {'
                  '}{"configMap":map[string]interface {}{"defaultMode":420, "name":"cfg"}, '
                  '"name":"cfg"}, map[string]interface {}{"hostPath":map[string]interface {'
                  '}{"path":"/var/log", "type":"Directory"}, "name":"host"}, map[string]int'
                  'erface {}{"name":"sec", "secret":map[string]interface {}{"defaultMode":4'
                  '20, "secretName":"db"}}}}, "status":map[string]interface {}{"conditions"'
                  ':[]interface {}{map[string]interface {}{"lastProbeTime":interface {}(nil'
                  '), "lastTransitionTime":"2026-11-27T22:43:24Z", "status":"True", "type":'
                  '"Initialized"}, map[string]interface {}{"lastProbeTime":interface {}(nil'
                  '), "lastTransitionTime":"2026-11-27T22:45:05Z", "message":"containers wi'
                  'th unready status: [nginx]", "reason":"ContainersNotReady", "status":"Fa'
                  'lse", "type":"Ready"}}, "containerStatuses":[]interface {}{map[string]in'
                  'terface {}{"containerID":"containerd://bbb", "image":"docker.io/library/'
                  'nginx:1.27", "imageID":"docker.io/library/nginx@sha256:abc", "lastState"'
                  ':map[string]interface {}{"terminated":map[string]interface {}{"container'
                  'ID":"containerd://bbb", "exitCode":1, "finishedAt":"2026-11-27T22:45:05Z'
                  '", "reason":"Error", "startedAt":"2026-11-27T22:45:04Z"}}, "name":"nginx'
                  '", "ready":false, "restartCount":3, "started":false, "state":map[string]'
                  'interface {}{"waiting":map[string]interface {}{"message":"back-off 40s r'
                  'estarting failed container=nginx pod=crash_default(p-crash)", "reason":"'
                  'CrashLoopBackOff"}}}}, "hostIP":"192.168.0.11", "initContainerStatuses":'
                  '[]interface {}{map[string]interface {}{"containerID":"containerd://ccc",'
                  ' "image":"docker.io/library/busybox:1.36", "imageID":"docker.io/library/'
                  'busybox@sha256:def", "lastState":map[string]interface {}{}, "name":"init'
                  '-db", "ready":true, "restartCount":0, "started":false, "state":map[strin'
                  'g]interface {}{"terminated":map[string]interface {}{"containerID":"conta'
                  'inerd://ccc", "exitCode":0, "finishedAt":"2026-11-27T22:43:34Z", "reason'
                  '":"Completed", "startedAt":"2026-11-27T22:43:29Z"}}}}, "phase":"Running"'
                  ', "podIP":"10.244.1.7", "podIPs":[]interface {}{map[string]interface {}{'
                  '"ip":"10.244.1.7"}}, "qosClass":"Guaranteed", "startTime":"2026-11-27T22'
                  ':43:25Z"}}, map[string]interface {}{"apiVersion":"v1", "kind":"Pod", "me'
                  'tadata":map[string]interface {}{"creationTimestamp":"2026-11-27T22:45:54'
                  'Z", "generateName":"web-7c4b4cb947-", "labels":map[string]interface {}{"'
                  'app":"web", "pod-template-hash":"7c4b4cb947"}, "name":"initwait", "names'
                  'pace":"default", "resourceVersion":"RV", "uid":"p-initwait"}, "spec":map'
                  '[string]interface {}{"containers":[]interface {}{map[string]interface {}'
                  '{"image":"nginx:1.27", "imagePullPolicy":"IfNotPresent", "name":"nginx",'
                  ' "ports":[]interface {}{map[string]interface {}{"containerPort":80, "pro'
                  'tocol":"TCP"}}, "resources":map[string]interface {}{"requests":map[strin'
                  'g]interface {}{"cpu":"250m", "memory":"64Mi"}}, "terminationMessagePath"'
                  ':"/dev/termination-log", "terminationMessagePolicy":"File"}}, "dnsPolicy'
                  '":"ClusterFirst", "initContainers":[]interface {}{map[string]interface {'
                  '}{"command":[]interface {}{"sh", "-c", "sleep 1000"}, "image":"busybox:1'
                  '.36", "imagePullPolicy":"IfNotPresent", "name":"init-db", "resources":ma'
                  'p[string]interface {}{}}}, "nodeName":"node-1", "priority":0, "restartPo'
                  'licy":"Always", "schedulerName":"default-scheduler", "securityContext":m'
                  'ap[string]interface {}{}, "serviceAccount":"default", "serviceAccountNam'
                  'e":"default", "terminationGracePeriodSeconds":30, "tolerations":[]interf'
                  'ace {}{map[string]interface {}{"effect":"NoExecute", "key":"node.kuberne'
                  'tes.io/not-ready", "operator":"Exists", "tolerationSeconds":300}, map[st'
                  'ring]interface {}{"effect":"NoExecute", "key":"node.kubernetes.io/unreac'
                  'hable", "operator":"Exists", "tolerationSeconds":300}}}, "status":map[st'
                  'ring]interface {}{"conditions":[]interface {}{map[string]interface {}{"l'
                  'astProbeTime":interface {}(nil), "lastTransitionTime":"2026-11-27T22:45:'
                  '54Z", "message":"containers with incomplete status: [init-db]", "reason"'
                  ':"ContainersNotInitialized", "status":"False", "type":"Initialized"}}, "'
                  'containerStatuses":[]interface {}{map[string]interface {}{"image":"nginx'
                  ':1.27", "imageID":"", "lastState":map[string]interface {}{}, "name":"ngi'
                  'nx", "ready":false, "restartCount":0, "started":false, "state":map[strin'
                  'g]interface {}{"waiting":map[string]interface {}{"reason":"PodInitializi'
                  'ng"}}}}, "hostIP":"192.168.0.11", "initContainerStatuses":[]interface {}'
                  '{map[string]interface {}{"containerID":"containerd://ddd", "image":"dock'
                  'er.io/library/busybox:1.36", "imageID":"docker.io/library/busybox@sha256'
                  ':def", "lastState":map[string]interface {}{}, "name":"init-db", "ready":'
                  'false, "restartCount":0, "started":true, "state":map[string]interface {}'
                  '{"running":map[string]interface {}{"startedAt":"2026-11-27T22:45:59Z"}}}'
                  '}, "phase":"Pending", "podIP":"10.244.1.8", "podIPs":[]interface {}{map['
                  'string]interface {}{"ip":"10.244.1.8"}}, "qosClass":"Burstable", "startT'
                  'ime":"2026-11-27T22:45:55Z"}}, map[string]interface {}{"apiVersion":"v1"'
                  ', "kind":"Pod", "metadata":map[string]interface {}{"creationTimestamp":"'
                  '2026-11-27T22:36:54Z", "generateName":"web-7c4b4cb947-", "labels":map[st'
                  'ring]interface {}{"app":"web", "pod-template-hash":"7c4b4cb947"}, "name"'
                  ':"web-7c4b4cb947-abcde", "namespace":"default", "ownerReferences":[]inte'
                  'rface {}{map[string]interface {}{"apiVersion":"apps/v1", "blockOwnerDele'
                  'tion":true, "controller":true, "kind":"ReplicaSet", "name":"web-7c4b4cb9'
                  '47", "uid":"rs-web"}}, "resourceVersion":"RV", "uid":"p-web-7c4b4cb947-a'
                  'bcde"}, "spec":map[string]interface {}{"containers":[]interface {}{map[s'
                  'tring]interface {}{"image":"nginx:1.27", "imagePullPolicy":"IfNotPresent'
                  '", "name":"nginx", "ports":[]interface {}{map[string]interface {}{"conta'
                  'inerPort":80, "protocol":"TCP"}}, "resources":map[string]interface {}{"r'
                  'equests":map[string]interface {}{"cpu":"250m", "memory":"64Mi"}}, "termi'
                  'nationMessagePath":"/dev/termination-log", "terminationMessagePolicy":"F'
                  'ile"}}, "dnsPolicy":"ClusterFirst", "nodeName":"node-1", "priority":0, "'
                  'restartPolicy":"Always", "schedulerName":"default-scheduler", "securityC'
                  'ontext":map[string]interface {}{}, "serviceAccount":"default", "serviceA'
                  'ccountName":"default", "terminationGracePeriodSeconds":30, "tolerations"'
                  ':[]interface {}{map[string]interface {}{"effect":"NoExecute", "key":"nod'
                  'e.kubernetes.io/not-ready", "operator":"Exists", "tolerationSeconds":300'
                  '}, map[string]interface {}{"effect":"NoExecute", "key":"node.kubernetes.'
                  'io/unreachable", "operator":"Exists", "tolerationSeconds":300}}}, "statu'
                  's":map[string]interface {}{"conditions":[]interface {}{map[string]interf'
                  'ace {}{"lastProbeTime":interface {}(nil), "lastTransitionTime":"2026-11-'
                  '27T22:37:04Z", "status":"True", "type":"Ready"}, map[string]interface {}'
                  '{"lastProbeTime":interface {}(nil), "lastTransitionTime":"2026-11-27T22:'
                  '36:54Z", "status":"True", "type":"PodScheduled"}}, "containerStatuses":['
                  ']interface {}{map[string]interface {}{"containerID":"containerd://aaa", '
                  '"image":"docker.io/library/nginx:1.27", "imageID":"docker.io/library/ngi'
                  'nx@sha256:abc", "lastState":map[string]interface {}{}, "name":"nginx", "'
                  'ready":true, "restartCount":0, "started":true, "state":map[string]interf'
                  'ace {}{"running":map[string]interface {}{"startedAt":"2026-11-27T22:37:0'
                  '4Z"}}}}, "hostIP":"192.168.0.11", "phase":"Running", "podIP":"10.244.1.5'
                  '", "podIPs":[]interface {}{map[string]interface {}{"ip":"10.244.1.5"}}, '
                  '"qosClass":"Burstable", "startTime":"2026-11-27T22:36:55Z"}}, map[string'
                  ']interface {}{"apiVersion":"v1", "kind":"Pod", "metadata":map[string]int'
                  'erface {}{"creationTimestamp":"2026-11-27T22:36:54Z", "generateName":"we'
                  'b-7c4b4cb947-", "labels":map[string]interface {}{"app":"web", "pod-templ'
                  'ate-hash":"7c4b4cb947"}, "name":"web-7c4b4cb947-fghij", "namespace":"def'
                  'ault", "ownerReferences":[]interface {}{map[string]interface {}{"apiVers'
                  'ion":"apps/v1", "blockOwnerDeletion":true, "controller":true, "kind":"Re'
                  'plicaSet", "name":"web-7c4b4cb947", "uid":"rs-web"}}, "resourceVersion":'
                  '"RV", "uid":"p-web-7c4b4cb947-fghij"}, "spec":map[string]interface {}{"c'
                  'ontainers":[]interface {}{map[string]interface {}{"image":"nginx:1.27", '
                  '"imagePullPolicy":"IfNotPresent", "name":"nginx", "ports":[]interface {}'
                  '{map[string]interface {}{"containerPort":80, "protocol":"TCP"}}, "resour'
                  'ces":map[string]interface {}{"requests":map[string]interface {}{"cpu":"2'
                  '50m", "memory":"64Mi"}}, "terminationMessagePath":"/dev/termination-log"'
                  ', "terminationMessagePolicy":"File"}}, "dnsPolicy":"ClusterFirst", "prio'
                  'rity":0, "restartPolicy":"Always", "schedulerName":"default-scheduler", '
                  '"securityContext":map[string]interface {}{}, "serviceAccount":"default",'
                  ' "serviceAccountName":"default", "terminationGracePeriodSeconds":30, "to'
                  'lerations":[]interface {}{map[string]interface {}{"effect":"NoExecute", '
                  '"key":"node.kubernetes.io/not-ready", "operator":"Exists", "tolerationSe'
                  'conds":300}, map[string]interface {}{"effect":"NoExecute", "key":"node.k'
                  'ubernetes.io/unreachable", "operator":"Exists", "tolerationSeconds":300}'
                  '}}, "status":map[string]interface {}{"conditions":[]interface {}{map[str'
                  'ing]interface {}{"lastProbeTime":interface {}(nil), "lastTransitionTime"'
                  ':"2026-11-27T22:36:54Z", "message":"0/3 nodes are available: 1 node(s) h'
                  'ad untolerated taint {node-role.kubernetes.io/control-plane: }, 2 Insuff'
                  'icient cpu. preemption: 0/3 nodes are available: 1 Preemption is not hel'
                  'pful for scheduling, 2 No preemption victims found for incoming pod.", "'
                  'reason":"Unschedulable", "status":"False", "type":"PodScheduled"}}, "pha'
                  'se":"Pending", "qosClass":"Burstable"}}}, "kind":"List", "metadata":map['
                  'string]interface {}{"resourceVersion":""}}\n'
                  '\n'
                  '\n'), 1,
                 id="jsonpath with --allow-missing-template-keys=false in a range"),
    pytest.param("cluster", "get pods -o 'jsonpath={.items[?(@.spec.nope)].metadata.name}' --allow-missing-template-keys=false", "",
                 "",
                 "", 0,
                 id="jsonpath with --allow-missing-template-keys=false and an exists filter"),
    pytest.param("cluster", "patch cm cfg --type=json -p '[{\"op\":\"remove\",\"path\":\"/data/nope\"}]'", "",
                 "",
                 ('The request is invalid: the server rejected our request due to an error '
                  'in our request\n'), 1,
                 id="a JSON patch that does not apply shows the server's message"),
    pytest.param("cluster", "patch cm cfg --type=json -p '[{\"op\":\"bogus\",\"path\":\"/data\"}]'", "",
                 "",
                 ('The request is invalid: the server rejected our request due to an error '
                  'in our request\n'), 1,
                 id="a JSON patch with an unknown op too"),
    pytest.param("cluster", "patch cm cfg --type=json -p '[{\"op\":\"test\",\"path\":\"/data/mode\",\"value\":\"x\"}]'", "",
                 "",
                 ('The request is invalid: the server rejected our request due to an error '
                  'in our request\n'), 1,
                 id="a failed JSON patch test is the same generic 422 (no cause)"),
    pytest.param("cluster", "get pod crash --field-selector=status.phase=Running", "",
                 "",
                 'error: name cannot be provided when a selector is specified\n', 1,
                 id="get with a field selector refuses a name"),
    pytest.param("cluster", "get pod/crash -l app=web", "",
                 "",
                 ('error: selectors and the all flag cannot be used when passing resource/n'
                  'ame arguments\n'), 1,
                 id="get with -l refuses TYPE/NAME"),
    pytest.param("cluster", "get -f {dir}/cm-cfg.yaml pod", "",
                 "",
                 ('error: when paths, URLs, or stdin is provided as input, you may not spec'
                  'ify resource arguments as well\n'), 1,
                 id="get refuses resource arguments next to -f"),
    pytest.param("cluster", "get -f {dir}/cm-cfg.yaml -l tier=x", "",
                 "",
                 'No resources found in default namespace.\n', 0,
                 id="get -f -l filters by the live object's labels"),
    pytest.param("cluster", "get -f {dir}/multi.yaml -l app=nope", "",
                 "",
                 ('Error from server (NotFound): configmaps "m1" not found\n'
                  'Error from server (NotFound): services "s1" not found\n'), 1,
                 id="get -f -l reports the missing objects before filtering"),
    pytest.param("cluster", "get pod crash -A", "",
                 "",
                 'error: a resource cannot be retrieved by name across all namespaces\n', 1,
                 id="get by name refuses --all-namespaces"),
    pytest.param("cluster", "describe -f {dir}/cm-cfg.yaml -l tier=x", "",
                 ('Name:         cfg\n'
                  'Namespace:    default\n'
                  'Labels:       <none>\n'
                  'Annotations:  <none>\n'
                  '\n'
                  'Data\n'
                  '====\n'
                  'app.conf:\n'
                  '----\n'
                  'x=1\n'
                  '\n'
                  '\n'
                  'mode:\n'
                  '----\n'
                  'prod\n'
                  '\n'
                  '\n'
                  'BinaryData\n'
                  '====\n'
                  '\n'
                  'Events:  <none>\n'),
                 "", 0,
                 id="describe -f -l filters by the file's labels"),
    pytest.param("cluster", "label -f {dir}/cm-cfg.yaml -l tier=x a=b", "",
                 "",
                 "", 0,
                 id="label -f -l filters by the live object's labels"),
]


@pytest.mark.parametrize("world, command, stdin, stdout, stderr, code", CASES)
def test_output_matches_real_kubectl(tmp_path, world, command, stdin, stdout, stderr, code):
    for name, text in FILES.items():
        (tmp_path / name).write_text(text)
    objects = kubectl_worlds.WORLDS[world](T)
    script = kubectl_worlds.SCRIPTS.get(world, lambda T: {})(T)
    k = kubectl_at(objects, kubectl_worlds.ts(T, 0), script)
    result = k.run(shlex.split(command.replace("{dir}", str(tmp_path))), stdin=stdin)
    expected = tuple(_norm(s.replace("{dir}", str(tmp_path))) for s in (stdout, stderr))
    assert (_norm(result.stdout), _norm(result.stderr), result.code) == (*expected, code)


# --- on a live simulated cluster ----------------------------------------------------------------


@pytest.fixture(scope="module")
def cluster():
    from k8slearn import Cluster

    c = Cluster(workers=2, seed=0)
    c.kubectl("create deployment web --image=nginx:1.27 --replicas=1")
    c.kubectl("create cm cfg --from-literal=a=1")
    c.settle()
    return c


@pytest.mark.parametrize("answer, gone", [("n\n", False), ("", False), ("y\n", True)],
                         ids=["delete -i keeps the pod when the answer is n",
                              "and when there is no answer", "and deletes it on y"])
def test_interactive_delete_reads_the_answer_from_stdin(answer, gone):
    from k8slearn import Cluster

    c = Cluster(workers=1, seed=0)
    c.kubectl("run p1 --image=nginx")
    result = c.kubectl("delete pod p1 -i", stdin=answer)
    question = "You are about to delete the following 1 resource(s):\npod/p1\nDo you want to continue? (y/n): "
    assert result.stdout == question + ('pod "p1" deleted\n' if gone else "deletion is cancelled\n")
    assert (c.kubectl("get pod p1").code == 1) == gone


@pytest.mark.parametrize("command, stdout, stderr, code", [
    ("delete pod crash --all", "", "error: name cannot be provided when a selector is specified\n", 1),
    ("label deploy web x=y --field-selector=metadata.name=web", "",
     "error: name cannot be provided when a selector is specified\n", 1),
    ("rollout pause deploy/web -o name", "deployment.apps/web\n", "", 0),
    ("rollout restart", "", "error: required resource not specified\n", 1),
    ("patch cm cfg --type=json -p [{\"op\":\"remove\",\"path\":\"/data/nope\"}]", "",
     "The request is invalid: the server rejected our request due to an error in our request\n", 1),
    ("get cm cfg -o jsonpath={.data.b} --allow-missing-template-keys=false", "", None, 1),
    ("delete --raw /x", "", "Error from server (NotFound): the server could not find the requested resource\n", 1),
    ("delete --raw /api/v1/namespaces/default/configmaps/nope", "",
     'Error from server (NotFound): configmaps "nope" not found\n', 1),
], ids=["a name with --all is refused and nothing is deleted", "a name with a field selector too",
        "rollout pause -o name", "rollout restart needs a resource",
        "a JSON patch that does not apply: the API server's generic 422",
        "a missing key fails jsonpath when missing keys are not allowed",
        "delete --raw of a path the server does not serve", "delete --raw of a missing object"])
def test_on_the_simulated_cluster(cluster, command, stdout, stderr, code):
    before = {p["metadata"]["name"] for p in cluster.api.list("pods", "default")}
    result = cluster.kubectl(command)
    assert (result.stdout, result.code) == (stdout, code)
    if stderr is None:
        assert result.stderr.startswith('error: error executing jsonpath "{.data.b}": Error executing template: '
                                        "b is not found.")
    else:
        assert result.stderr == stderr
    if "--all" in command:
        assert {p["metadata"]["name"] for p in cluster.api.list("pods", "default")} == before


def test_delete_raw_deletes_the_object_its_path_names():
    import json

    from k8slearn import Cluster

    c = Cluster(workers=1, seed=0)
    c.kubectl("create cm gone --from-literal=a=1")
    result = c.kubectl("delete --raw /api/v1/namespaces/default/configmaps/gone")
    assert json.loads(result.stdout)["metadata"]["name"] == "gone" and result.code == 0
    assert c.kubectl("get cm gone").stderr == 'Error from server (NotFound): configmaps "gone" not found\n'


def test_rollout_history_of_a_statefulset_prints_the_set_per_revision():
    from k8slearn import Cluster

    c = Cluster(workers=2, seed=0)
    c.kubectl("apply -f -", stdin="apiVersion: apps/v1\nkind: StatefulSet\nmetadata:\n  name: db\nspec:\n"
              "  serviceName: db\n  replicas: 1\n  selector:\n    matchLabels:\n      app: db\n  template:\n"
              "    metadata:\n      labels:\n        app: db\n    spec:\n      containers:\n"
              "      - name: db\n        image: nginx:1.26\n")
    c.settle()
    c.kubectl("set image sts/db db=nginx:1.27")
    c.settle()
    assert c.kubectl("rollout history sts/db -o name").stdout == "statefulset.apps/db\nstatefulset.apps/db\n"
    images = [c.kubectl(f"rollout history sts/db --revision={n} -o jsonpath="
                        "{.spec.template.spec.containers[0].image}").stdout for n in (1, 2)]
    assert images == ["nginx:1.26", "nginx:1.27"]
    assert c.kubectl("get sts db -o jsonpath={.spec.template.spec.containers[0].image}").stdout == "nginx:1.27"


def test_describe_deployment_lists_the_scaled_down_old_replica_set_and_history_shows_the_change_cause():
    # (compared with kubectl 1.32 on the simulation's own objects: it prints "(0/0 replicas created)")
    from k8slearn import Cluster

    c = Cluster(workers=2, seed=0)
    c.kubectl("create deployment web --image=nginx:1.27 --replicas=2")
    c.settle()
    c.kubectl("annotate deployment web kubernetes.io/change-cause='image 1.28'")
    c.kubectl("set image deployment/web nginx=nginx:1.28")
    c.settle()
    old, new = sorted((rs for rs in c.api.list("replicasets")), key=lambda rs: rs["metadata"]["annotations"][
        "deployment.kubernetes.io/revision"])
    described = c.kubectl("describe deployment web").stdout
    assert f"OldReplicaSets:  {old['metadata']['name']} (0/0 replicas created)\n" in described
    assert f"NewReplicaSet:   {new['metadata']['name']} (2/2 replicas created)\n" in described
    history = c.kubectl("rollout history deployment/web --revision=2").stdout
    assert "  Labels:\tapp=web\n\tpod-template-hash=" in history
    assert "\n  Annotations:\tkubernetes.io/change-cause: image 1.28\n  Containers:\n" in history
