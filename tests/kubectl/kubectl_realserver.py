"""A tiny HTTP kube-apiserver that serves fixture objects to the REAL kubectl v1.32 binary.

Used only by kubectl_capture.py to record golden outputs (describe, get tables, errors) that the
tests then compare k8slearn.kubectl against. It answers legacy discovery, GET/LIST (field and label
selectors), server-side Tables (cells from k8slearn's printers, so only kubectl's layout is under
test there), a minimal OpenAPI v3 for apply, and POST/PATCH/PUT/DELETE on an in-memory store.
Shape of the protocol: /work/shared/reference/kubectl-wire.md.
"""
import json, re, threading, urllib.parse, copy, os, subprocess, tempfile
from http.server import ThreadingHTTPServer, BaseHTTPRequestHandler

RES = [  # plural, singular, kind, group, version, namespaced, short, categories
 ("componentstatuses","componentstatus","ComponentStatus","","v1",False,["cs"],[]),
 ("namespaces","namespace","Namespace","","v1",False,["ns"],[]),
 ("nodes","node","Node","","v1",False,["no"],[]),
 ("pods","pod","Pod","","v1",True,["po"],["all"]),
 ("services","service","Service","","v1",True,["svc"],["all"]),
 ("endpoints","endpoints","Endpoints","","v1",True,["ep"],[]),
 ("events","event","Event","","v1",True,["ev"],[]),
 ("configmaps","configmap","ConfigMap","","v1",True,["cm"],[]),
 ("serviceaccounts","serviceaccount","ServiceAccount","","v1",True,["sa"],[]),
 ("secrets","secret","Secret","","v1",True,[],[]),
 ("limitranges","limitrange","LimitRange","","v1",True,["limits"],[]),
 ("resourcequotas","resourcequota","ResourceQuota","","v1",True,["quota"],[]),
 ("leases","lease","Lease","coordination.k8s.io","v1",True,[],[]),
 ("poddisruptionbudgets","poddisruptionbudget","PodDisruptionBudget","policy","v1",True,["pdb"],[]),
 ("deployments","deployment","Deployment","apps","v1",True,["deploy"],["all"]),
 ("replicasets","replicaset","ReplicaSet","apps","v1",True,["rs"],["all"]),
 ("daemonsets","daemonset","DaemonSet","apps","v1",True,["ds"],["all"]),
 ("statefulsets","statefulset","StatefulSet","apps","v1",True,["sts"],["all"]),
 ("controllerrevisions","controllerrevision","ControllerRevision","apps","v1",True,[],[]),
 ("jobs","job","Job","batch","v1",True,[],["all"]),
 ("cronjobs","cronjob","CronJob","batch","v1",True,["cj"],["all"]),
 ("priorityclasses","priorityclass","PriorityClass","scheduling.k8s.io","v1",False,["pc"],[]),
 ("endpointslices","endpointslice","EndpointSlice","discovery.k8s.io","v1",True,[],[]),
 ("persistentvolumeclaims","persistentvolumeclaim","PersistentVolumeClaim","","v1",True,["pvc"],[]),
 ("persistentvolumes","persistentvolume","PersistentVolume","","v1",False,["pv"],[]),
 ("storageclasses","storageclass","StorageClass","storage.k8s.io","v1",False,["sc"],[]),
]
# (events.k8s.io serves the core events: do_GET lists them for it, as RES holds one resource per plural)
GROUPS = ["apps","batch","coordination.k8s.io","discovery.k8s.io","events.k8s.io","policy","scheduling.k8s.io",
          "storage.k8s.io"]

def _verbs(plural):
    """The verbs k8slearn's discovery lists (a v1.32 server's); all eight for the kinds it does not serve."""
    from k8slearn.api.discovery import ALL_VERBS, served, verbs
    info = next((r for r in served() if r.plural == plural and not r.storage_of), None)
    return list(verbs(info)) if info is not None else list(ALL_VERBS)


def openapi_schemas():
    """The schemas k8slearn's explain reads (k8slearn/api/openapi_v1_32.json.gz), as a v1.32 server serves them."""
    import gzip
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "k8slearn", "api", "openapi_v1_32.json.gz")
    with open(path, "rb") as handle:
        return json.loads(gzip.decompress(handle.read()))["schemas"]

class Store:
    def __init__(self): self.objs = {}; self.script = {}  # (plural, ns, name) -> obj; plural -> watch events
    def load(self, objs):
        for o in objs:
            r = by_kind(o["kind"]); ns = o["metadata"].get("namespace","") if r[5] else ""
            self.objs[(r[0], ns, o["metadata"]["name"])] = o
    def get(self, plural, ns, name): return self.objs.get((plural, ns, name))
    def list(self, plural, ns):
        return [o for (p, n, _), o in sorted(self.objs.items()) if p == plural and (ns is None or n == ns)]

def by_kind(kind):
    return next(r for r in RES if r[2] == kind)

def fget(obj, path):
    cur = obj
    for p in path.split("."):
        if not isinstance(cur, dict) or p not in cur: return ""
        cur = cur[p]
    return "" if cur is None else str(cur)

def match_fields(obj, sel):
    if not sel: return True
    for term in sel.split(","):
        m = re.match(r"(.+?)(!=|==|=)(.*)", term)
        k, op, v = m.groups()
        val = fget(obj, k)
        if k == "involvedObject.uid" and val == "" : val = ""
        if op == "!=" and val == v: return False
        if op in ("=", "==") and val != v: return False
    return True

def match_labels(obj, sel):
    if not sel: return True
    labels = obj.get("metadata", {}).get("labels") or {}
    for term in sel.split(","):
        if "!=" in term:
            k, v = term.split("!="); 
            if labels.get(k) == v: return False
        elif "=" in term:
            k, v = term.split("=", 1); v = v.lstrip("=")
            if labels.get(k) != v: return False
        elif term.startswith("!"):
            if term[1:] in labels: return False
        else:
            if term not in labels: return False
    return True

def uid_for(name):
    import hashlib
    h = hashlib.md5(name.encode()).hexdigest()
    return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:32]}"

def make_handler(store, log):
    class H(BaseHTTPRequestHandler):
        def body(self):
            n = int(self.headers.get("Content-Length") or 0)
            raw = self.rfile.read(n)
            if raw.startswith(b"k8s\x00"):  # a typed client's protobuf body: only the name is read
                return {"metadata": {"name": _proto_name(raw[4:])}, "protobuf": True}
            return json.loads(raw or b"null")
        def route(self):
            u = urllib.parse.urlparse(self.path); p = u.path.rstrip("/")
            m = re.match(r"^/(?:api/v1|apis/([^/]+)/v1)(?:/namespaces/([^/]+))?/([^/]+)(?:/([^/]+))?(?:/(scale|status|ephemeralcontainers))?$", p)
            if not m: return None
            group, ns, plural, name, sub = m.groups()
            r = next((r for r in RES if r[0]==plural), None)
            return r, ns or "", name, sub, dict(urllib.parse.parse_qsl(u.query))
        def exec_stream(self, ns, name, query, websocket):
            """pods/exec: the API server's refusals before the upgrade (for the websocket try and
            kubectl's SPDY fallback alike), else a v5.channel.k8s.io websocket carrying fake_exec's
            stdout (channel 1), stderr (2) and the closing Status (3). A kubelet's refusal (text)
            comes after the upgrade, as the API server's stream translator reports it: an
            InternalError (apiserver/pkg/util/proxy/streamtranslator.go ServeHTTP)."""
            import base64, hashlib
            params = urllib.parse.parse_qs(query)
            argv, container = params.get("command", []), (params.get("container") or [""])[0]
            pod = store.get("pods", ns, name)
            if pod is None:
                return self.status(404, "NotFound", f'pods "{name}" not found', {"name": name, "kind": "pods"})
            refusal = exec_refusal(pod, container)
            upgrading = websocket and "websocket" in (self.headers.get("Upgrade") or "").lower()
            if refusal is not None and not (upgrading and isinstance(refusal[1], str)):
                code, body = refusal
                if isinstance(body, dict):
                    return self.send(code, body)
                data = body.encode()
                self.send_response(code); self.send_header("Content-Type", "text/plain; charset=utf-8")
                self.send_header("Content-Length", str(len(data))); self.end_headers(); self.wfile.write(data)
                return
            if not websocket or "websocket" not in (self.headers.get("Upgrade") or "").lower():
                return self.status(400, "BadRequest", "the recording server speaks only websockets")
            rc, out, err, internal = fake_exec(ns, name, container, argv)
            if refusal is not None:  # the kubelet's refusal reaches the API server's stream translator
                rc, out, err, internal = 0, "", "", "unable to upgrade connection: " + refusal[1]  # after the upgrade
            accept = base64.b64encode(hashlib.sha1((self.headers["Sec-WebSocket-Key"] +
                                                    "258EAFA5-E914-47DA-95CA-C5AB0DC85B11").encode()).digest()).decode()
            self.send_response(101); self.send_header("Upgrade", "websocket"); self.send_header("Connection", "Upgrade")
            self.send_header("Sec-WebSocket-Accept", accept); self.send_header("Sec-WebSocket-Protocol", "v5.channel.k8s.io")
            self.end_headers()
            def frame(payload, opcode=0x2):
                n = len(payload)
                head = bytes([0x80 | opcode]) + (bytes([n]) if n < 126 else bytes([126]) + n.to_bytes(2, "big"))
                self.wfile.write(head + payload)
            if out: frame(b"\x01" + out.encode())
            if err: frame(b"\x02" + err.encode())
            if internal:
                status = {"metadata": {}, "status": "Failure", "message": "Internal error occurred: " + internal,
                          "reason": "InternalError", "details": {"causes": [{"message": internal}]}, "code": 500}
            elif rc:
                status = {"metadata": {}, "status": "Failure", "message": f"command terminated with non-zero exit code: "
                          f"error executing command [{' '.join(argv)}], exit code {rc}", "reason": "NonZeroExitCode",
                          "details": {"causes": [{"reason": "ExitCode", "message": str(rc)}]}}
            else:
                status = {"metadata": {}, "status": "Success"}
            frame(b"\x03" + json.dumps(status).encode())
            frame((1000).to_bytes(2, "big"), opcode=0x8)
            self.wfile.flush()
            self.connection.settimeout(2.0)
            try:
                self.connection.recv(4096)  # the client's close frame
            except OSError:
                pass
            self.close_connection = True
        def do_POST(self):
            m = re.match(r"^/api/v1/namespaces/([^/]+)/pods/([^/]+)/exec$", urllib.parse.urlparse(self.path).path)
            if m:
                log.append(("POST", self.path, None))
                return self.exec_stream(m.group(1), m.group(2), urllib.parse.urlparse(self.path).query, websocket=False)
            body = self.body(); log.append(("POST", self.path, body))
            r, ns, name, sub, q = self.route()
            name = body["metadata"].get("name")
            key_ns = ns if r[5] else ""
            if store.get(r[0], key_ns, name) is not None:
                gr = r[0] + ("." + r[3] if r[3] else "")
                return self.status(409, "AlreadyExists", f'{gr} "{name}" already exists', {"name":name,"group":r[3],"kind":r[0]} if r[3] else {"name":name,"kind":r[0]})
            o = copy.deepcopy(body)
            md = o["metadata"]
            if r[5]: md["namespace"] = ns
            md.setdefault("uid", uid_for(r[0]+ns+name)); md["resourceVersion"] = str(len(log)+1000); md["creationTimestamp"] = "2026-01-05T09:00:00Z"
            if q.get("dryRun") != "All": store.objs[(r[0], key_ns, name)] = o
            return self.send(201, o)
        def do_PATCH(self):
            body = self.body(); log.append(("PATCH", self.path, self.headers.get("Content-Type"), body))
            r, ns, name, sub, q = self.route()
            key_ns = ns if r[5] else ""
            cur = store.get(r[0], key_ns, name)
            if cur is None:
                return self.status(404, "NotFound", f'{r[0]} "{name}" not found', {"name":name,"kind":r[0]})
            from k8slearn.api import patch as P
            from k8slearn.api.errors import ApiError
            ct = self.headers.get("Content-Type")
            try:
                if "strategic" in ct: new = P.strategic_merge_patch(copy.deepcopy(cur), body, r[2])
                elif "merge-patch" in ct: new = P.json_merge_patch(copy.deepcopy(cur), body)
                else: new = P.json_patch(copy.deepcopy(cur), body)
            except ApiError as err:  # the patch does not apply: the Status k8slearn's API server gives
                st = err.status
                return self.status(st["code"], st.get("reason", ""), st.get("message", ""), st.get("details"))
            if sub == "scale":
                new = copy.deepcopy(cur); new["spec"]["replicas"] = body["spec"]["replicas"]
                store.objs[(r[0], key_ns, name)] = new
                return self.send(200, {"kind":"Scale","apiVersion":"autoscaling/v1","metadata":{"name":name,"namespace":ns},"spec":{"replicas":new["spec"]["replicas"]},"status":{"replicas":0}})
            new["metadata"]["resourceVersion"] = str(len(log)+1000)
            if q.get("dryRun") != "All": store.objs[(r[0], key_ns, name)] = new
            return self.send(200, new)
        def do_PUT(self):
            body = self.body(); log.append(("PUT", self.path, body))
            r, ns, name, sub, q = self.route()
            store.objs[(r[0], ns if r[5] else "", name)] = body
            return self.send(200, body)
        def do_DELETE(self):
            body = self.body(); log.append(("DELETE", self.path, body))
            r, ns, name, sub, q = self.route()
            key_ns = ns if r[5] else ""
            cur = store.objs.pop((r[0], key_ns, name), None)
            if cur is None:
                gr = r[0] + ("." + r[3] if r[3] else "")
                return self.status(404, "NotFound", f'{gr} "{name}" not found', {"name":name,"group":r[3],"kind":r[0]} if r[3] else {"name":name,"kind":r[0]})
            return self.send(200, cur)
        protocol_version = "HTTP/1.1"
        def log_message(self, *a): pass
        def send(self, code, body, ctype="application/json"):
            data = json.dumps(body).encode()
            self.send_response(code); self.send_header("Content-Type", ctype)
            self.send_header("Content-Length", str(len(data))); self.end_headers(); self.wfile.write(data)
        def status(self, code, reason, msg, details=None):
            self.send(code, {"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":msg,"reason":reason,"details":details or {},"code":code})
        def do_GET(self):
            u = urllib.parse.urlparse(self.path); q = dict(urllib.parse.parse_qsl(u.query)); p = u.path.rstrip("/")
            log.append(("GET", self.path, self.headers.get("Accept")))
            if q.get("watch") in ("1", "true"):
                # A watch streams the store's scripted events for the resource (``Store.script``), as
                # Tables when the client asked for them, then ends; without a script it reports nothing
                # until the client hangs up.
                self.send_response(200); self.send_header("Content-Type", "application/json")
                self.send_header("Transfer-Encoding", "chunked"); self.end_headers(); self.wfile.flush()
                m = re.match(r"^/(?:api/v1|apis/([^/]+)/v1)(?:/namespaces/([^/]+))?/([^/]+)", p)
                script = store.script.get(m.group(3), []) if m else []
                def chunk(data):
                    self.wfile.write(f"{len(data):x}\r\n".encode() + data + b"\r\n"); self.wfile.flush()
                if script:
                    table = "as=Table" in (self.headers.get("Accept") or "")
                    fs = q.get("fieldSelector", "")
                    if fs.startswith("metadata.name=") and q.get("resourceVersion") in (None, "", "0"):
                        # a watch of one object from "now" starts with that object as ADDED
                        ns, name = m.group(2) or "", fs.split("=", 1)[1]
                        script = [("ADDED", store.get(m.group(3), ns, name))] + [e for e in script
                                                                                 if e[1]["metadata"]["name"] == name]
                    for event_type, obj in script:
                        o = make_table(m.group(3), [obj]) if table else obj
                        chunk(json.dumps({"type": event_type, "object": o}).encode() + b"\n")
                    chunk(b""); return
                import time as _time
                for _ in range(600):
                    _time.sleep(0.1)
                    try:
                        self.wfile.write(b""); self.wfile.flush()
                    except OSError:
                        return
                return
            m = re.match(r"^/api/v1/namespaces/([^/]+)/pods/([^/]+)/exec$", p)
            if m:
                return self.exec_stream(m.group(1), m.group(2), u.query, websocket=True)
            m = re.match(r"^/api/v1/namespaces/([^/]+)/pods/([^/]+)/log$", p)
            if m and (store.get("pods", m.group(1), m.group(2)) or {}).get("spec", {}).get("nodeName") == "node-down":
                return self.send(500, unreachable_logs(m.group(1), m.group(2), q.get("container", "")))
            if m:  # a canned log, the same text kubectl_kit.FakeLogs gives the replay
                body = fake_log(m.group(1), m.group(2), q.get("container", "")).encode()
                self.send_response(200); self.send_header("Content-Type", "text/plain")
                self.send_header("Content-Length", str(len(body))); self.end_headers(); self.wfile.write(body)
                return
            if p == "/openapi/v3":
                paths = {"api/v1": {"serverRelativeURL": "/openapi/v3/api/v1?hash=A"}}
                for g in GROUPS: paths[f"apis/{g}/v1"] = {"serverRelativeURL": f"/openapi/v3/apis/{g}/v1?hash=A"}
                return self.send(200, {"paths": paths})
            if p.startswith("/openapi/v3/"):
                gv = p[len("/openapi/v3/"):]
                group = "" if gv == "api/v1" else gv.split("/")[1]
                out = {}
                for r in RES:
                    if r[3] != group: continue
                    base = "/api/v1" if not group else f"/apis/{group}/v1"
                    path = f"{base}/namespaces/{{namespace}}/{r[0]}/{{name}}" if r[5] else f"{base}/{r[0]}/{{name}}"
                    out[path] = {"patch": {"x-kubernetes-group-version-kind": {"group": group, "version": "v1", "kind": r[2]}, "parameters": [{"name": "fieldValidation", "in": "query"}]}}
                return self.send(200, {"paths": out, "components": {"schemas": openapi_schemas()}})
            if p == "/openapi/v2":
                return self.status(404, "NotFound", "not found")
            if p.split("/")[1:2] in (["healthz"], ["livez"], ["readyz"]):
                # k8slearn's healthz handlers; ``store.etcd_down = True`` fails the etcd checks
                from k8slearn.apiserver.healthz import health_endpoints, serve
                code, text = serve(self.path, health_endpoints(lambda: not getattr(store, "etcd_down", False)))
                data = text.encode()
                self.send_response(code); self.send_header("Content-Type", "text/plain; charset=utf-8")
                self.send_header("X-Content-Type-Options", "nosniff")
                self.send_header("Content-Length", str(len(data))); self.end_headers(); self.wfile.write(data)
                return
            if p == "/version":
                return self.send(200, {"major":"1","minor":"32","gitVersion":"v1.32.0","gitCommit":"70d3cc986aa8221cd1dfb1121852688902d3bf53","gitTreeState":"clean","buildDate":"2024-12-11T17:59:15Z","goVersion":"go1.23.3","compiler":"gc","platform":"linux/amd64"})
            if p == "/api":
                return self.send(200, {"kind":"APIVersions","versions":["v1"],"serverAddressByClientCIDRs":[{"clientCIDR":"0.0.0.0/0","serverAddress":"127.0.0.1"}]})
            if p == "/apis":
                return self.send(200, {"kind":"APIGroupList","apiVersion":"v1","groups":[{"name":g,"versions":[{"groupVersion":g+"/v1","version":"v1"}],"preferredVersion":{"groupVersion":g+"/v1","version":"v1"}} for g in GROUPS]})
            if p == "/api/v1" or (p.startswith("/apis/") and p.count("/") == 3):
                gv = "v1" if p == "/api/v1" else p[len("/apis/"):]
                group = "" if gv == "v1" else gv.split("/")[0]
                rs = [{"name":r[0],"singularName":r[1],"namespaced":r[5],"kind":r[2],"verbs":_verbs(r[0]),"shortNames":r[6],"categories":r[7]} for r in RES if r[3]==group]
                if group == "events.k8s.io":  # the core events, which this group serves too
                    rs = [{"name":"events","singularName":"event","namespaced":True,"kind":"Event","verbs":_verbs("events"),"shortNames":["ev"],"categories":[]}]
                return self.send(200, {"kind":"APIResourceList","apiVersion":"v1","groupVersion":gv,"resources":rs})
            m = re.match(r"^/(?:api/v1|apis/([^/]+)/v1)(?:/namespaces/([^/]+))?/([^/]+)(?:/([^/]+))?$", p)
            if m:
                group, ns, plural, name = m.groups()
                r = next((r for r in RES if r[0]==plural), None)
                if plural == "namespaces" and ns and not name and not r: pass
                if r is None: return self.status(404, "NotFound", "the server could not find the requested resource")
                if not r[5] and ns: # e.g. /api/v1/namespaces/default  (namespace object)
                    pass
                table = "as=Table" in (self.headers.get("Accept") or "")
                if name:
                    o = store.get(plural, ns or "", name) if r[5] else store.get(plural, "", name)
                    if o is None:
                        gr = plural + ("." + r[3] if r[3] else "")
                        return self.status(404, "NotFound", f'{gr} "{name}" not found', {"name":name,"group":r[3],"kind":plural} if r[3] else {"name":name,"kind":plural})
                    o = copy.deepcopy(o); o.setdefault("apiVersion", (r[3]+"/v1") if r[3] else "v1"); o.setdefault("kind", r[2])
                    if table: return self.send(200, make_table(plural, [o]))
                    return self.send(200, o)
                items = [copy.deepcopy(o) for o in store.list(plural, ns if r[5] else None) if match_fields(o, q.get("fieldSelector")) and match_labels(o, q.get("labelSelector"))]
                if table: return self.send(200, make_table(plural, items))
                return self.send(200, {"kind":r[2]+"List","apiVersion":(r[3]+"/v1") if r[3] else "v1","metadata":{"resourceVersion":"100"},"items":items})
            m = re.match(r"^/api/v1/namespaces/([^/]+)$", p)
            if m:
                o = store.get("namespaces","",m.group(1))
                if o is None: return self.status(404,"NotFound",f'namespaces "{m.group(1)}" not found',{"name":m.group(1),"kind":"namespaces"})
                return self.send(200, o)
            return self.status(404, "NotFound", "the server could not find the requested resource")
    return H

NOW = [0.0]
def make_table(plural, items):
    from k8slearn.kubectl.printers import print_table
    t = print_table(plural, items, NOW[0])
    cols = [{"name": c.name, "type": "string", "format": "name" if c.name == "Name" else "", "description": "", "priority": c.priority} for c in t.columns]
    rows = [{"cells": row, "object": {"kind": "PartialObjectMetadata", "apiVersion": "meta.k8s.io/v1", "metadata": o.get("metadata", {})}} for row, o in zip(t.rows, items)]
    return {"kind": "Table", "apiVersion": "meta.k8s.io/v1", "metadata": {"resourceVersion": "100"}, "columnDefinitions": cols, "rows": rows}

def fake_exec(namespace, pod, container, argv):
    """What every exec runs, for the recording server and kubectl_kit.FakeLogs alike: (exit code,
    stdout, stderr, the runtime's failure or ""). ``nosuch`` cannot start; ``sh -c 'exit N'`` ends
    with N; ``warn`` also writes to stderr; anything else prints one line."""
    if argv and argv[0] == "nosuch":
        return 0, "", "", ('error executing command in container: failed to exec in container: failed to start exec '
                           f'"{"0" * 64}": OCI runtime exec failed: exec failed: unable to start container process: '
                           'exec: "nosuch": executable file not found in $PATH: unknown')
    if argv[:2] == ["sh", "-c"] and len(argv) > 2 and argv[2].startswith("exit "):
        return int(argv[2].split()[1]), "", "", ""
    err = f"warning from {namespace}/{pod} container {container}\n" if argv and argv[0] == "warn" else ""
    return 0, f"ran {' '.join(argv)} in {namespace}/{pod} container {container}\n", err, ""


def exec_refusal(pod, container):
    """Why the API server (400, a Status) or the kubelet (500, text) refuses an exec before the
    stream opens, as (code, body) with body a Status dict or a str; None when it opens. The
    texts are the simulation's own (apiserver/pod_connect, checked against upstream's
    streamLocation by reading it), so these cases test how the real kubectl prints them."""
    from k8slearn.api.errors import ApiError
    from k8slearn.apiserver.pod_connect import stream_location
    try:
        node, _ = stream_location(pod, container)
    except ApiError as err:
        return 400, dict(err.status, details={})
    if node == "node-down":  # a powered-off machine: the API server cannot dial its kubelet
        return 500, {"kind": "Status", "apiVersion": "v1", "metadata": {}, "status": "Failure", "code": 500,
                     "message": "error dialing backend: dial tcp 172.18.0.9:10250: connect: no route to host"}
    statuses = (pod.get("status") or {}).get("containerStatuses") or []
    if not any(c.get("name") == container and "running" in (c.get("state") or {}) for c in statuses):
        return 500, f'container not found ("{container}")'
    return None


def unreachable_logs(namespace, pod, container):
    """The API server's 500 when the kubelet of the pod's node (``node-down``) cannot be reached."""
    url = f"https://172.18.0.9:10250/containerLogs/{namespace}/{pod}/{container}"
    return {"kind": "Status", "apiVersion": "v1", "metadata": {}, "status": "Failure", "code": 500,
            "message": f'Get "{url}": dial tcp 172.18.0.9:10250: connect: no route to host'}


def fake_log(namespace, pod, container):
    """The log the recording server serves for every container (kubectl_kit.FakeLogs serves the same)."""
    return f"log of {namespace}/{pod} container {container}\n"


def _proto_fields(data):
    """The (field number, value) pairs of one protobuf message (varints and length-delimited only)."""
    i, out = 0, []
    while i < len(data):
        key, i = _varint(data, i)
        field, wire = key >> 3, key & 7
        if wire == 0:
            value, i = _varint(data, i)
        elif wire == 2:
            size, i = _varint(data, i)
            value, i = data[i:i + size], i + size
        else:
            raise ValueError(f"wire type {wire}")
        out.append((field, value))
    return out


def _varint(data, i):
    shift = value = 0
    while True:
        b = data[i]; i += 1
        value |= (b & 0x7F) << shift; shift += 7
        if not b & 0x80:
            return value, i


def _proto_name(data):
    """metadata.name of a runtime.Unknown envelope (raw = field 2; ObjectMeta = field 1; name = field 1)."""
    raw = dict(_proto_fields(data))[2]
    meta = dict(_proto_fields(raw))[1]
    return dict(_proto_fields(meta)).get(1, b"").decode()


def start(store):
    log = []
    srv = ThreadingHTTPServer(("127.0.0.1", 0), make_handler(store, log)); srv.daemon_threads = True
    threading.Thread(target=srv.serve_forever, daemon=True).start()
    port = srv.server_address[1]
    d = tempfile.mkdtemp()
    cfg = os.path.join(d, "config")
    open(cfg, "w").write(f"""apiVersion: v1
kind: Config
clusters:
- cluster: {{server: "http://127.0.0.1:{port}"}}
  name: kubernetes
contexts:
- context: {{cluster: kubernetes, user: kubernetes-admin}}
  name: kubernetes-admin@kubernetes
current-context: kubernetes-admin@kubernetes
users:
- name: kubernetes-admin
  user: {{}}
""")
    return srv, cfg, d, log

KUBECTL = "/usr/lib/google-cloud-sdk/bin/kubectl.1.32"


def kubectl(cfg, d, args, stdin=""):
    env = {"KUBECONFIG": cfg, "HOME": d, "KUBECACHEDIR": os.path.join(d, "cache"), "PATH": "/usr/bin:/bin"}
    p = subprocess.run([KUBECTL, *args], input=stdin.encode(), capture_output=True, env=env)
    return p.stdout.decode(), p.stderr.decode(), p.returncode
