"""Two small fake clusters (objects as plain dicts) for the kubectl golden tests.

``objects(T)`` builds every object with timestamps relative to the Unix time ``T``; the golden
capture runs the real kubectl against them at time ``T`` and the tests run k8slearn.kubectl at the
same instant, so every AGE and every date must agree.
"""

import copy
import datetime


def ts(T, off, micro=False):
    t = datetime.datetime.fromtimestamp(T + off, datetime.timezone.utc)
    return t.strftime("%Y-%m-%dT%H:%M:%S.%fZ") if micro else t.strftime("%Y-%m-%dT%H:%M:%SZ")


def pod_world(T):
    t = lambda off, micro=False: ts(T, off, micro)
    pod = {
     "apiVersion": "v1", "kind": "Pod",
     "metadata": {"name": "web-7c4b4cb947-5g28v", "generateName": "web-7c4b4cb947-", "namespace": "default",
       "uid": "9f1c2e4a-0b6d-4c1e-8f3a-2d5b7c9e1f00", "resourceVersion": "1042", "creationTimestamp": t(-300),
       "labels": {"app": "web", "pod-template-hash": "7c4b4cb947"},
       "ownerReferences": [{"apiVersion": "apps/v1", "kind": "ReplicaSet", "name": "web-7c4b4cb947", "uid": "1111", "controller": True, "blockOwnerDeletion": True}]},
     "spec": {"containers": [{"name": "nginx", "image": "nginx:1.27", "imagePullPolicy": "IfNotPresent",
         "ports": [{"containerPort": 80, "protocol": "TCP"}],
         "resources": {"requests": {"cpu": "100m", "memory": "128Mi"}, "limits": {"memory": "256Mi"}},
         "env": [{"name": "MODE", "value": "prod"}],
         "volumeMounts": [{"name": "kube-api-access-x7k2p", "mountPath": "/var/run/secrets/kubernetes.io/serviceaccount", "readOnly": True}],
         "terminationMessagePath": "/dev/termination-log", "terminationMessagePolicy": "File"}],
       "restartPolicy": "Always", "terminationGracePeriodSeconds": 30, "dnsPolicy": "ClusterFirst",
       "serviceAccountName": "default", "serviceAccount": "default", "nodeName": "node-1",
       "securityContext": {}, "schedulerName": "default-scheduler", "priority": 0, "enableServiceLinks": True, "preemptionPolicy": "PreemptLowerPriority",
       "tolerations": [{"key": "node.kubernetes.io/not-ready", "operator": "Exists", "effect": "NoExecute", "tolerationSeconds": 300},
                       {"key": "node.kubernetes.io/unreachable", "operator": "Exists", "effect": "NoExecute", "tolerationSeconds": 300}],
       "volumes": [{"name": "kube-api-access-x7k2p", "projected": {"defaultMode": 420, "sources": [
           {"serviceAccountToken": {"expirationSeconds": 3607, "path": "token"}},
           {"configMap": {"name": "kube-root-ca.crt", "items": [{"key": "ca.crt", "path": "ca.crt"}]}},
           {"downwardAPI": {"items": [{"path": "namespace", "fieldRef": {"apiVersion": "v1", "fieldPath": "metadata.namespace"}}]}}]}}]},
     "status": {"phase": "Running", "hostIP": "192.168.0.11", "hostIPs": [{"ip": "192.168.0.11"}], "podIP": "10.244.1.2", "podIPs": [{"ip": "10.244.1.2"}],
       "startTime": t(-299), "qosClass": "Burstable",
       "conditions": [{"type": "PodReadyToStartContainers", "status": "True", "lastProbeTime": None, "lastTransitionTime": t(-297)},
                      {"type": "Initialized", "status": "True", "lastProbeTime": None, "lastTransitionTime": t(-299)},
                      {"type": "Ready", "status": "True", "lastProbeTime": None, "lastTransitionTime": t(-290)},
                      {"type": "ContainersReady", "status": "True", "lastProbeTime": None, "lastTransitionTime": t(-290)},
                      {"type": "PodScheduled", "status": "True", "lastProbeTime": None, "lastTransitionTime": t(-300)}],
       "containerStatuses": [{"name": "nginx", "state": {"running": {"startedAt": t(-291)}}, "lastState": {}, "ready": True, "restartCount": 0,
          "image": "docker.io/library/nginx:1.27", "imageID": "docker.io/library/nginx@sha256:0a399eb16751829e1af26fea27b20c3ec28d7ab1fb72182879dcae1cca21206a",
          "containerID": "containerd://4f3c2b1a0e9d8c7b6a5f4e3d2c1b0a9f8e7d6c5b4a3f2e1d0c9b8a7f6e5d4c3b", "started": True}]}}
    events = []
    def ev(name_sfx, reason, msg, comp, off, typ="Normal", fp="", count=1, first=None, host=""):
        e = {"apiVersion": "v1", "kind": "Event", "metadata": {"name": "web-7c4b4cb947-5g28v." + name_sfx, "namespace": "default", "creationTimestamp": t(off)},
             "involvedObject": {"kind": "Pod", "namespace": "default", "name": "web-7c4b4cb947-5g28v", "uid": "9f1c2e4a-0b6d-4c1e-8f3a-2d5b7c9e1f00", "apiVersion": "v1", "resourceVersion": "1000"},
             "reason": reason, "message": msg, "source": {"component": comp, **({"host": host} if host else {})}, "firstTimestamp": t(first if first is not None else off),
             "lastTimestamp": t(off), "count": count, "type": typ, "eventTime": None, "reportingComponent": comp, "reportingInstance": host}
        if fp: e["involvedObject"]["fieldPath"] = fp
        events.append(e)
    ev("18a1", "Scheduled", "Successfully assigned default/web-7c4b4cb947-5g28v to node-1", "default-scheduler", -300)
    ev("18a2", "Pulling", 'Pulling image "nginx:1.27"', "kubelet", -298, fp="spec.containers{nginx}", host="node-1")
    ev("18a3", "Pulled", 'Successfully pulled image "nginx:1.27" in 5.2s (5.2s including waiting). Image size: 72950530 bytes.', "kubelet", -293, fp="spec.containers{nginx}", host="node-1")
    ev("18a4", "Created", "Created container nginx", "kubelet", -292, fp="spec.containers{nginx}", host="node-1")
    ev("18a5", "Started", "Started container nginx", "kubelet", -291, fp="spec.containers{nginx}", host="node-1")
    ev("18a6", "BackOff", "Back-off restarting failed container nginx", "kubelet", -30, typ="Warning", fp="spec.containers{nginx}", count=4, first=-200, host="node-1")
    return [pod] + events


def cluster_world(T):
    t = lambda off, micro=False: ts(T, off, micro)
    objs = []
    def ns(name, labels=None):
        objs.append({"apiVersion":"v1","kind":"Namespace","metadata":{"name":name,"uid":"ns-"+name,"resourceVersion":"5","creationTimestamp":t(-3600),"labels":{"kubernetes.io/metadata.name":name}},"spec":{"finalizers":["kubernetes"]},"status":{"phase":"Active"}})
    ns("default"); ns("kube-system"); ns("kube-node-lease")
    def node(name, ip, cp=False, unsched=False, ready="True"):
        labels = {"beta.kubernetes.io/arch":"amd64","beta.kubernetes.io/os":"linux","kubernetes.io/arch":"amd64","kubernetes.io/hostname":name,"kubernetes.io/os":"linux"}
        if cp: labels["node-role.kubernetes.io/control-plane"] = ""
        n = {"apiVersion":"v1","kind":"Node","metadata":{"name":name,"uid":"uid-"+name,"resourceVersion":"900","creationTimestamp":t(-3500),"labels":labels,
              "annotations":{"node.alpha.kubernetes.io/ttl":"0","volumes.kubernetes.io/controller-managed-attach-detach":"true"}},
             "spec":{"podCIDR":"10.244.%d.0/24" % (0 if cp else int(name[-1])),"podCIDRs":["10.244.%d.0/24" % (0 if cp else int(name[-1]))]},
             "status":{"capacity":{"cpu":"4","ephemeral-storage":"61255492Ki","hugepages-2Mi":"0","memory":"8148200Ki","pods":"110"},
                       "allocatable":{"cpu":"4","ephemeral-storage":"56453061334","hugepages-2Mi":"0","memory":"8045800Ki","pods":"110"},
                       "conditions":[{"type":"MemoryPressure","status":"False","lastHeartbeatTime":t(-20),"lastTransitionTime":t(-3500),"reason":"KubeletHasSufficientMemory","message":"kubelet has sufficient memory available"},
                                     {"type":"DiskPressure","status":"False","lastHeartbeatTime":t(-20),"lastTransitionTime":t(-3500),"reason":"KubeletHasNoDiskPressure","message":"kubelet has no disk pressure"},
                                     {"type":"PIDPressure","status":"False","lastHeartbeatTime":t(-20),"lastTransitionTime":t(-3500),"reason":"KubeletHasSufficientPID","message":"kubelet has sufficient PID available"},
                                     {"type":"Ready","status":ready,"lastHeartbeatTime":t(-20),"lastTransitionTime":t(-3480),"reason":"KubeletReady" if ready=="True" else "NodeStatusUnknown","message":"kubelet is posting ready status" if ready=="True" else "Kubelet stopped posting node status."}],
                       "addresses":[{"type":"InternalIP","address":ip},{"type":"Hostname","address":name}],
                       "daemonEndpoints":{"kubeletEndpoint":{"Port":10250}},
                       "nodeInfo":{"machineID":"m-"+name,"systemUUID":"s-"+name,"bootID":"b-"+name,"kernelVersion":"6.8.0-51-generic","osImage":"Ubuntu 24.04.1 LTS","containerRuntimeVersion":"containerd://1.7.24","kubeletVersion":"v1.32.0","kubeProxyVersion":"v1.32.0","operatingSystem":"linux","architecture":"amd64"}}}
        if cp: n["spec"]["taints"] = [{"key":"node-role.kubernetes.io/control-plane","effect":"NoSchedule"}]
        if unsched:
            n["spec"]["unschedulable"] = True
            n["spec"].setdefault("taints", []).append({"key":"node.kubernetes.io/unschedulable","effect":"NoSchedule","timeAdded":t(-100)})
        objs.append(n)
        objs.append({"apiVersion":"coordination.k8s.io/v1","kind":"Lease","metadata":{"name":name,"namespace":"kube-node-lease","uid":"l-"+name,"resourceVersion":"950","creationTimestamp":t(-3500),
             "ownerReferences":[{"apiVersion":"v1","kind":"Node","name":name,"uid":"uid-"+name}]},"spec":{"holderIdentity":name,"leaseDurationSeconds":40,"renewTime":t(-5,True)}})
    node("control-plane","192.168.0.10",cp=True); node("node-1","192.168.0.11"); node("node-2","192.168.0.12",unsched=True, ready="Unknown")
    tmpl = {"metadata":{"labels":{"app":"web"}},"spec":{"containers":[{"name":"nginx","image":"nginx:1.27","ports":[{"containerPort":80,"protocol":"TCP"}],"resources":{"requests":{"cpu":"250m","memory":"64Mi"}},"terminationMessagePath":"/dev/termination-log","terminationMessagePolicy":"File","imagePullPolicy":"IfNotPresent"}],"restartPolicy":"Always","terminationGracePeriodSeconds":30,"dnsPolicy":"ClusterFirst","securityContext":{},"schedulerName":"default-scheduler"}}
    objs.append({"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"web","namespace":"default","uid":"d-web","resourceVersion":"1200","generation":1,"creationTimestamp":t(-600),"labels":{"app":"web"},
        "annotations":{"deployment.kubernetes.io/revision":"1"}},
        "spec":{"replicas":2,"selector":{"matchLabels":{"app":"web"}},"template":copy.deepcopy(tmpl),"strategy":{"type":"RollingUpdate","rollingUpdate":{"maxUnavailable":"25%","maxSurge":"25%"}},"revisionHistoryLimit":10,"progressDeadlineSeconds":600},
        "status":{"observedGeneration":1,"replicas":2,"updatedReplicas":2,"readyReplicas":1,"availableReplicas":1,"unavailableReplicas":1,
                  "conditions":[{"type":"Available","status":"False","lastUpdateTime":t(-600),"lastTransitionTime":t(-600),"reason":"MinimumReplicasUnavailable","message":"Deployment does not have minimum availability."},
                                {"type":"Progressing","status":"True","lastUpdateTime":t(-590),"lastTransitionTime":t(-600),"reason":"ReplicaSetUpdated","message":"ReplicaSet \"web-7c4b4cb947\" is progressing."}]}})
    rtmpl = copy.deepcopy(tmpl); rtmpl["metadata"]["labels"]["pod-template-hash"] = "7c4b4cb947"
    objs.append({"apiVersion":"apps/v1","kind":"ReplicaSet","metadata":{"name":"web-7c4b4cb947","namespace":"default","uid":"rs-web","resourceVersion":"1190","generation":1,"creationTimestamp":t(-600),"labels":{"app":"web","pod-template-hash":"7c4b4cb947"},
        "annotations":{"deployment.kubernetes.io/desired-replicas":"2","deployment.kubernetes.io/max-replicas":"3","deployment.kubernetes.io/revision":"1"},
        "ownerReferences":[{"apiVersion":"apps/v1","kind":"Deployment","name":"web","uid":"d-web","controller":True,"blockOwnerDeletion":True}]},
        "spec":{"replicas":2,"selector":{"matchLabels":{"app":"web","pod-template-hash":"7c4b4cb947"}},"template":rtmpl},
        "status":{"replicas":2,"fullyLabeledReplicas":2,"readyReplicas":1,"availableReplicas":1,"observedGeneration":1}})
    def pod(name, node, phase, ip, cs, conds, extra=None, owner=True, created=-590, init=None, ics=None):
        spec = copy.deepcopy(rtmpl["spec"]); spec["nodeName"] = node; spec["serviceAccountName"]="default"; spec["serviceAccount"]="default"; spec["priority"]=0
        spec["tolerations"]=[{"key":"node.kubernetes.io/not-ready","operator":"Exists","effect":"NoExecute","tolerationSeconds":300},{"key":"node.kubernetes.io/unreachable","operator":"Exists","effect":"NoExecute","tolerationSeconds":300}]
        if init: spec["initContainers"] = init
        if not node: del spec["nodeName"]
        p = {"apiVersion":"v1","kind":"Pod","metadata":{"name":name,"namespace":"default","uid":"p-"+name,"resourceVersion":"1100","creationTimestamp":t(created),"labels":{"app":"web","pod-template-hash":"7c4b4cb947"},"generateName":"web-7c4b4cb947-"},
             "spec":spec,"status":{"phase":phase,"conditions":conds,"qosClass":"Burstable"}}
        if owner: p["metadata"]["ownerReferences"]=[{"apiVersion":"apps/v1","kind":"ReplicaSet","name":"web-7c4b4cb947","uid":"rs-web","controller":True,"blockOwnerDeletion":True}]
        if node: p["status"].update({"hostIP":{"node-1":"192.168.0.11","node-2":"192.168.0.12"}.get(node,""),"startTime":t(created+1)})
        if ip: p["status"].update({"podIP":ip,"podIPs":[{"ip":ip}]})
        if cs is not None: p["status"]["containerStatuses"] = cs
        if ics is not None: p["status"]["initContainerStatuses"] = ics
        if extra: extra(p)
        objs.append(p)
    pod("web-7c4b4cb947-abcde","node-1","Running","10.244.1.5",[{"name":"nginx","state":{"running":{"startedAt":t(-580)}},"lastState":{},"ready":True,"restartCount":0,"image":"docker.io/library/nginx:1.27","imageID":"docker.io/library/nginx@sha256:abc","containerID":"containerd://aaa","started":True}],
        [{"type":"Ready","status":"True","lastProbeTime":None,"lastTransitionTime":t(-580)},{"type":"PodScheduled","status":"True","lastProbeTime":None,"lastTransitionTime":t(-590)}])
    pod("web-7c4b4cb947-fghij","","Pending","",None,[{"type":"PodScheduled","status":"False","lastProbeTime":None,"lastTransitionTime":t(-590),"reason":"Unschedulable","message":"0/3 nodes are available: 1 node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }, 2 Insufficient cpu. preemption: 0/3 nodes are available: 1 Preemption is not helpful for scheduling, 2 No preemption victims found for incoming pod."}])
    def crash(p):
        c = p["spec"]["containers"][0]
        c["command"] = ["sh","-c"]; c["args"] = ["echo start; exit 1"]
        c["livenessProbe"] = {"httpGet":{"path":"/healthz","port":80,"scheme":"HTTP"},"initialDelaySeconds":3,"timeoutSeconds":1,"periodSeconds":10,"successThreshold":1,"failureThreshold":3}
        c["readinessProbe"] = {"exec":{"command":["cat","/tmp/ready"]},"timeoutSeconds":1,"periodSeconds":5,"successThreshold":1,"failureThreshold":3}
        c["env"] = [{"name":"POD_IP","valueFrom":{"fieldRef":{"apiVersion":"v1","fieldPath":"status.podIP"}}},{"name":"PASS","valueFrom":{"secretKeyRef":{"name":"db","key":"password"}}},{"name":"MULTI","value":"a\nb"}]
        c["envFrom"] = [{"configMapRef":{"name":"cfg"}}]
        c["resources"] = {"limits":{"cpu":"500m","memory":"128Mi"},"requests":{"cpu":"500m","memory":"128Mi"}}
        c["volumeMounts"] = [{"name":"data","mountPath":"/data"},{"name":"cfg","mountPath":"/etc/cfg","readOnly":True,"subPath":"app.conf"}]
        p["spec"]["volumes"] = [{"name":"data","emptyDir":{}},{"name":"cfg","configMap":{"name":"cfg","defaultMode":420}},{"name":"host","hostPath":{"path":"/var/log","type":"Directory"}},{"name":"sec","secret":{"secretName":"db","defaultMode":420}}]
        p["spec"]["nodeSelector"] = {"disktype":"ssd"}
        p["metadata"]["annotations"] = {"note":"x"*150, "kubectl.kubernetes.io/last-applied-configuration":"{}\n", "short":"v"}
        p["status"]["qosClass"] = "Guaranteed"
    pod("crash","node-1","Running","10.244.1.7",[{"name":"nginx","state":{"waiting":{"reason":"CrashLoopBackOff","message":"back-off 40s restarting failed container=nginx pod=crash_default(p-crash)"}},
        "lastState":{"terminated":{"exitCode":1,"reason":"Error","startedAt":t(-100),"finishedAt":t(-99),"containerID":"containerd://bbb"}},"ready":False,"restartCount":3,"image":"docker.io/library/nginx:1.27","imageID":"docker.io/library/nginx@sha256:abc","containerID":"containerd://bbb","started":False}],
        [{"type":"Initialized","status":"True","lastProbeTime":None,"lastTransitionTime":t(-200)},{"type":"Ready","status":"False","lastProbeTime":None,"lastTransitionTime":t(-99),"reason":"ContainersNotReady","message":"containers with unready status: [nginx]"}],
        extra=crash, owner=False, created=-200,
        init=[{"name":"init-db","image":"busybox:1.36","command":["sh","-c","until nslookup db; do sleep 2; done"],"resources":{},"terminationMessagePath":"/dev/termination-log","terminationMessagePolicy":"File","imagePullPolicy":"IfNotPresent"}],
        ics=[{"name":"init-db","state":{"terminated":{"exitCode":0,"reason":"Completed","startedAt":t(-195),"finishedAt":t(-190),"containerID":"containerd://ccc"}},"lastState":{},"ready":True,"restartCount":0,"image":"docker.io/library/busybox:1.36","imageID":"docker.io/library/busybox@sha256:def","containerID":"containerd://ccc","started":False}])
    def initwait(p):
        pass
    pod("initwait","node-1","Pending","10.244.1.8",[{"name":"nginx","state":{"waiting":{"reason":"PodInitializing"}},"lastState":{},"ready":False,"restartCount":0,"image":"nginx:1.27","imageID":"","started":False}],
        [{"type":"Initialized","status":"False","lastProbeTime":None,"lastTransitionTime":t(-50),"reason":"ContainersNotInitialized","message":"containers with incomplete status: [init-db]"}],owner=False,created=-50,
        init=[{"name":"init-db","image":"busybox:1.36","command":["sh","-c","sleep 1000"],"resources":{},"imagePullPolicy":"IfNotPresent"}],
        ics=[{"name":"init-db","state":{"running":{"startedAt":t(-45)}},"lastState":{},"ready":False,"restartCount":0,"image":"docker.io/library/busybox:1.36","imageID":"docker.io/library/busybox@sha256:def","containerID":"containerd://ddd","started":True}])
    objs.append({"apiVersion":"apps/v1","kind":"DaemonSet","metadata":{"name":"kube-proxy","namespace":"kube-system","uid":"ds-kp","resourceVersion":"700","generation":1,"creationTimestamp":t(-3400),"labels":{"k8s-app":"kube-proxy"},"annotations":{"deprecated.daemonset.template.generation":"1"}},
        "spec":{"selector":{"matchLabels":{"k8s-app":"kube-proxy"}},"template":{"metadata":{"labels":{"k8s-app":"kube-proxy"}},"spec":{"containers":[{"name":"kube-proxy","image":"registry.k8s.io/kube-proxy:v1.32.0","command":["/usr/local/bin/kube-proxy","--config=/var/lib/kube-proxy/config.conf","--hostname-override=$(NODE_NAME)"],"env":[{"name":"NODE_NAME","valueFrom":{"fieldRef":{"apiVersion":"v1","fieldPath":"spec.nodeName"}}}],"volumeMounts":[{"name":"kube-proxy","mountPath":"/var/lib/kube-proxy"}]}],
            "volumes":[{"name":"kube-proxy","configMap":{"name":"kube-proxy"}}],"nodeSelector":{"kubernetes.io/os":"linux"},"priorityClassName":"system-node-critical","serviceAccountName":"kube-proxy","tolerations":[{"operator":"Exists"}]}},
            "updateStrategy":{"type":"RollingUpdate","rollingUpdate":{"maxUnavailable":1,"maxSurge":0}}},
        "status":{"currentNumberScheduled":3,"numberMisscheduled":0,"desiredNumberScheduled":3,"numberReady":3,"observedGeneration":1,"updatedNumberScheduled":3,"numberAvailable":3}})
    objs.append({"apiVersion":"v1","kind":"Service","metadata":{"name":"web","namespace":"default","uid":"svc-web","resourceVersion":"1300","creationTimestamp":t(-500),"labels":{"app":"web"}},
        "spec":{"ports":[{"name":"http","protocol":"TCP","port":80,"targetPort":8080},{"name":"metrics","protocol":"TCP","port":9090,"targetPort":"metrics","nodePort":30090}],"selector":{"app":"web"},"clusterIP":"10.96.100.10","clusterIPs":["10.96.100.10"],"type":"NodePort","sessionAffinity":"None","ipFamilies":["IPv4"],"ipFamilyPolicy":"SingleStack","internalTrafficPolicy":"Cluster","externalTrafficPolicy":"Cluster"},"status":{"loadBalancer":{}}})
    objs.append({"apiVersion":"v1","kind":"Service","metadata":{"name":"kubernetes","namespace":"default","uid":"svc-k","resourceVersion":"10","creationTimestamp":t(-3600),"labels":{"component":"apiserver","provider":"kubernetes"}},
        "spec":{"ports":[{"name":"https","protocol":"TCP","port":443,"targetPort":6443}],"clusterIP":"10.96.0.1","clusterIPs":["10.96.0.1"],"type":"ClusterIP","sessionAffinity":"None","ipFamilies":["IPv4"],"ipFamilyPolicy":"SingleStack","internalTrafficPolicy":"Cluster"},"status":{"loadBalancer":{}}})
    objs.append({"apiVersion":"discovery.k8s.io/v1","kind":"EndpointSlice","metadata":{"name":"web-x1y2z","namespace":"default","uid":"es-web","resourceVersion":"1301","creationTimestamp":t(-500),"labels":{"kubernetes.io/service-name":"web","endpointslice.kubernetes.io/managed-by":"endpointslice-controller.k8s.io"}},
        "addressType":"IPv4","endpoints":[{"addresses":["10.244.1.5"],"conditions":{"ready":True,"serving":True,"terminating":False},"nodeName":"node-1"},{"addresses":["10.244.1.7"],"conditions":{"ready":False,"serving":False,"terminating":False},"nodeName":"node-1"}],
        "ports":[{"name":"http","protocol":"TCP","port":8080},{"name":"metrics","protocol":"TCP","port":9090}]})
    objs.append({"apiVersion":"v1","kind":"Endpoints","metadata":{"name":"web","namespace":"default","uid":"ep-web","resourceVersion":"1302","creationTimestamp":t(-500),"labels":{"app":"web"}},
        "subsets":[{"addresses":[{"ip":"10.244.1.5","nodeName":"node-1"},{"ip":"10.244.1.9"},{"ip":"10.244.2.3"},{"ip":"10.244.2.4"}],"notReadyAddresses":[{"ip":"10.244.1.7"}],"ports":[{"name":"http","port":8080,"protocol":"TCP"},{"name":"metrics","port":9090,"protocol":"TCP"}]}]})
    objs.append({"apiVersion":"v1","kind":"Endpoints","metadata":{"name":"kubernetes","namespace":"default","uid":"ep-k","resourceVersion":"11","creationTimestamp":t(-3600)},"subsets":[{"addresses":[{"ip":"192.168.0.10"}],"ports":[{"name":"https","port":6443,"protocol":"TCP"}]}]})
    objs.append({"apiVersion":"policy/v1","kind":"PodDisruptionBudget","metadata":{"name":"web","namespace":"default","uid":"pdb-web","resourceVersion":"1310","generation":1,"creationTimestamp":t(-450)},
        "spec":{"minAvailable":1,"selector":{"matchLabels":{"app":"web"}}},
        "status":{"observedGeneration":1,"disruptionsAllowed":0,"currentHealthy":1,"desiredHealthy":1,"expectedPods":3,
                  "conditions":[{"type":"DisruptionAllowed","status":"False","observedGeneration":1,"lastTransitionTime":t(-400),"reason":"InsufficientPods","message":""}]}})
    objs.append({"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"cfg","namespace":"default","uid":"cm","resourceVersion":"20","creationTimestamp":t(-400)},"data":{"app.conf":"x=1\n","mode":"prod"}})
    objs.append({"apiVersion":"v1","kind":"ServiceAccount","metadata":{"name":"default","namespace":"default","uid":"sa","resourceVersion":"12","creationTimestamp":t(-3600)}})
    from k8slearn.controllers.root_ca_publisher import DESCRIPTION, DESCRIPTION_ANNOTATION, ROOT_CA
    objs.append({"apiVersion": "v1", "kind": "ConfigMap", "metadata": {
        "name": "kube-root-ca.crt", "namespace": "default", "uid": "cm-root-ca", "resourceVersion": "13",
        "creationTimestamp": t(-3600), "annotations": {DESCRIPTION_ANNOTATION: DESCRIPTION}}, "data": {"ca.crt": ROOT_CA}})
    objs.append({"apiVersion":"scheduling.k8s.io/v1","kind":"PriorityClass","metadata":{"name":"system-node-critical","uid":"pc1","resourceVersion":"13","creationTimestamp":t(-3600)},"value":2000001000,"description":"Used for system critical pods that must not be moved from their current node.","preemptionPolicy":"PreemptLowerPriority"})
    objs.append({"apiVersion":"batch/v1","kind":"Job","metadata":{"name":"pi","namespace":"default","uid":"job-pi","resourceVersion":"1400","creationTimestamp":t(-300),"labels":{"batch.kubernetes.io/job-name":"pi"}},
        "spec":{"parallelism":1,"completions":1,"backoffLimit":6,"selector":{"matchLabels":{"batch.kubernetes.io/controller-uid":"job-pi"}},"template":{"metadata":{"labels":{"batch.kubernetes.io/job-name":"pi"}},"spec":{"containers":[{"name":"pi","image":"perl:5.34"}],"restartPolicy":"Never"}}},
        "status":{"startTime":t(-300),"completionTime":t(-250),"succeeded":1,"conditions":[{"type":"Complete","status":"True","lastProbeTime":t(-250),"lastTransitionTime":t(-250)}]}})
    def ev(obj_kind, obj_name, ns_, uid, reason, msg, comp, off, typ="Normal", count=1, first=None, sfx="1"):
        objs.append({"apiVersion":"v1","kind":"Event","metadata":{"name":f"{obj_name}.{sfx}","namespace":ns_ or "default","creationTimestamp":t(off)},
          "involvedObject":{"kind":obj_kind,"namespace":ns_,"name":obj_name,"uid":uid,"apiVersion":"v1"},"reason":reason,"message":msg,"source":{"component":comp},
          "firstTimestamp":t(first if first is not None else off),"lastTimestamp":t(off),"count":count,"type":typ,"eventTime":None,"reportingComponent":comp,"reportingInstance":""})
    ev("Deployment","web","default","d-web","ScalingReplicaSet","Scaled up replica set web-7c4b4cb947 from 0 to 2","deployment-controller",-600)
    ev("ReplicaSet","web-7c4b4cb947","default","rs-web","SuccessfulCreate","Created pod: web-7c4b4cb947-abcde","replicaset-controller",-599,sfx="a")
    ev("ReplicaSet","web-7c4b4cb947","default","rs-web","SuccessfulCreate","Created pod: web-7c4b4cb947-fghij","replicaset-controller",-599,sfx="b")
    ev("Pod","web-7c4b4cb947-fghij","default","p-web-7c4b4cb947-fghij","FailedScheduling","0/3 nodes are available: 1 node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }, 2 Insufficient cpu. preemption: 0/3 nodes are available: 1 Preemption is not helpful for scheduling, 2 No preemption victims found for incoming pod.","default-scheduler",-90,typ="Warning",count=3,first=-590)
    ev("Node","node-1","","node-1","Starting","Starting kubelet.","kubelet",-3500,sfx="s")
    ev("Node","node-1","","uid-node-1","RegisteredNode","Node node-1 event: Registered Node node-1 in Controller","node-controller",-3490,sfx="r")
    ev("Node","node-1","","node-1","NodeReady","Node node-1 status is now: NodeReady","kubelet",-3480,sfx="n")
    return objs


def cluster_changes(T):
    """What a watch on pods reports in the "watch" world: the pending web pod gets a node, its
    container starts, and then it is deleted."""
    t = lambda off: ts(T, off)
    pod = next(o for o in cluster_world(T) if o["kind"] == "Pod" and o["metadata"]["name"] == "web-7c4b4cb947-fghij")
    creating = copy.deepcopy(pod)
    creating["spec"]["nodeName"] = "node-1"
    creating["metadata"]["resourceVersion"] = "1500"
    creating["status"]["containerStatuses"] = [{"name": "nginx", "state": {"waiting": {"reason": "ContainerCreating"}},
                                                "ready": False, "restartCount": 0, "image": "nginx:1.27", "imageID": ""}]
    running = copy.deepcopy(creating)
    running["metadata"]["resourceVersion"] = "1501"
    running["status"]["phase"] = "Running"
    running["status"]["containerStatuses"][0].update(state={"running": {"startedAt": t(0)}}, ready=True)
    return {"pods": [("MODIFIED", creating), ("MODIFIED", running), ("DELETED", running)]}


def probes_world(T):
    """Two pods with probes, as the simulation leaves them: the documentation's liveness-exec pod
    restarted once (its exec probe's output ends with a newline), and an nginx pod whose readiness
    probe asks for a path nginx does not serve."""
    t = lambda off: ts(T, off)
    objs = []

    def pod(name, uid, ip, container, status):
        objs.append({"apiVersion": "v1", "kind": "Pod",
          "metadata": {"name": name, "namespace": "default", "uid": uid, "resourceVersion": "2000", "creationTimestamp": t(-120)},
          "spec": {"containers": [container], "restartPolicy": "Always", "terminationGracePeriodSeconds": 30, "dnsPolicy": "ClusterFirst",
                   "serviceAccountName": "default", "serviceAccount": "default", "nodeName": "node-1", "securityContext": {},
                   "schedulerName": "default-scheduler", "priority": 0, "enableServiceLinks": True, "preemptionPolicy": "PreemptLowerPriority",
                   "tolerations": [{"key": "node.kubernetes.io/not-ready", "operator": "Exists", "effect": "NoExecute", "tolerationSeconds": 300},
                                   {"key": "node.kubernetes.io/unreachable", "operator": "Exists", "effect": "NoExecute", "tolerationSeconds": 300}]},
          "status": {"phase": "Running", "hostIP": "192.168.0.11", "hostIPs": [{"ip": "192.168.0.11"}], "podIP": ip, "podIPs": [{"ip": ip}],
                     "startTime": t(-120), "qosClass": "BestEffort", **status}})

    def conditions(ready):
        return [{"type": "PodReadyToStartContainers", "status": "True", "lastProbeTime": None, "lastTransitionTime": t(-118)},
                {"type": "Initialized", "status": "True", "lastProbeTime": None, "lastTransitionTime": t(-120)},
                {"type": "Ready", "status": "True" if ready else "False", "lastProbeTime": None, "lastTransitionTime": t(-118),
                 **({} if ready else {"reason": "ContainersNotReady", "message": "containers with unready status: [web]"})},
                {"type": "ContainersReady", "status": "True" if ready else "False", "lastProbeTime": None, "lastTransitionTime": t(-118),
                 **({} if ready else {"reason": "ContainersNotReady", "message": "containers with unready status: [web]"})},
                {"type": "PodScheduled", "status": "True", "lastProbeTime": None, "lastTransitionTime": t(-120)}]

    pod("liveness-exec", "a1a1a1a1-0000-4000-8000-000000000001", "10.244.1.2",
        {"name": "liveness", "image": "registry.k8s.io/busybox:1.27.2",
         "args": ["/bin/sh", "-c", "touch /tmp/healthy; sleep 30; rm -f /tmp/healthy; sleep 600"],
         "livenessProbe": {"exec": {"command": ["cat", "/tmp/healthy"]}, "initialDelaySeconds": 5, "periodSeconds": 5,
                           "timeoutSeconds": 1, "successThreshold": 1, "failureThreshold": 3},
         "terminationMessagePath": "/dev/termination-log", "terminationMessagePolicy": "File", "imagePullPolicy": "IfNotPresent"},
        {"conditions": conditions(True),
         "containerStatuses": [{"name": "liveness", "state": {"running": {"startedAt": t(-40)}},
            "lastState": {"terminated": {"exitCode": 137, "reason": "Error", "startedAt": t(-119), "finishedAt": t(-40),
                                         "containerID": "containerd://1b2c"}},
            "ready": True, "restartCount": 1, "started": True, "image": "registry.k8s.io/busybox:1.27.2",
            "imageID": "registry.k8s.io/busybox@sha256:e2dd", "containerID": "containerd://3d4e"}]})
    pod("never-ready", "a1a1a1a1-0000-4000-8000-000000000002", "10.244.1.3",
        {"name": "web", "image": "nginx", "readinessProbe": {"httpGet": {"path": "/healthz", "port": 80, "scheme": "HTTP"},
            "periodSeconds": 5, "timeoutSeconds": 1, "successThreshold": 1, "failureThreshold": 3},
         "terminationMessagePath": "/dev/termination-log", "terminationMessagePolicy": "File", "imagePullPolicy": "Always"},
        {"conditions": conditions(False),
         "containerStatuses": [{"name": "web", "state": {"running": {"startedAt": t(-118)}}, "lastState": {},
            "ready": False, "restartCount": 0, "started": True, "image": "docker.io/library/nginx:latest",
            "imageID": "docker.io/library/nginx@sha256:0a39", "containerID": "containerd://5f6a"}]})

    def ev(pod_name, uid, sfx, reason, msg, off, typ="Normal", count=1, first=None, container=""):
        objs.append({"apiVersion": "v1", "kind": "Event",
          "metadata": {"name": f"{pod_name}.{sfx}", "namespace": "default", "creationTimestamp": t(first if first is not None else off)},
          "involvedObject": {"kind": "Pod", "namespace": "default", "name": pod_name, "uid": uid, "apiVersion": "v1",
                             "resourceVersion": "2000", **({"fieldPath": f"spec.containers{{{container}}}"} if container else {})},
          "reason": reason, "message": msg, "source": {"component": "kubelet", "host": "node-1"},
          "firstTimestamp": t(first if first is not None else off), "lastTimestamp": t(off), "count": count, "type": typ,
          "eventTime": None, "reportingComponent": "kubelet", "reportingInstance": "node-1"})
    le, nr = "a1a1a1a1-0000-4000-8000-000000000001", "a1a1a1a1-0000-4000-8000-000000000002"
    ev("liveness-exec", le, "1", "Pulling", 'Pulling image "registry.k8s.io/busybox:1.27.2"', -120, container="liveness")
    ev("liveness-exec", le, "2", "Pulled", 'Successfully pulled image "registry.k8s.io/busybox:1.27.2" in 311ms (311ms including waiting). Image size: 1144547 bytes.', -119, container="liveness")
    ev("liveness-exec", le, "3", "Created", "Created container liveness", -40, count=2, first=-119, container="liveness")
    ev("liveness-exec", le, "4", "Started", "Started container liveness", -40, count=2, first=-119, container="liveness")
    ev("liveness-exec", le, "5", "Unhealthy", "Liveness probe failed: cat: can't open '/tmp/healthy': No such file or directory\n", -70, typ="Warning", count=3, first=-80, container="liveness")
    ev("liveness-exec", le, "6", "Killing", "Container liveness failed liveness probe, will be restarted", -70, container="liveness")
    ev("liveness-exec", le, "7", "Pulled", 'Container image "registry.k8s.io/busybox:1.27.2" already present on machine', -40, container="liveness")
    ev("never-ready", nr, "1", "Unhealthy", "Readiness probe failed: HTTP probe failed with statuscode: 404", -3, typ="Warning", count=24, first=-117, container="web")
    return objs


def conflicts_world(T):
    """The cluster world plus a Secret and a CronJob, for creates that collide with them."""
    t = lambda off: ts(T, off)
    return cluster_world(T) + [
        {"apiVersion": "v1", "kind": "Secret", "metadata": {"name": "creds", "namespace": "default", "uid": "sec-creds",
         "resourceVersion": "30", "creationTimestamp": t(-400)}, "type": "Opaque", "data": {"a": "Yg=="}},
        {"apiVersion": "batch/v1", "kind": "CronJob", "metadata": {"name": "hello", "namespace": "default", "uid": "cj-hello",
         "resourceVersion": "31", "creationTimestamp": t(-400)},
         "spec": {"schedule": "*/1 * * * *", "jobTemplate": {"spec": {"template": {"spec": {
             "containers": [{"name": "hello", "image": "busybox"}], "restartPolicy": "OnFailure"}}}}}, "status": {}},
    ]


def terminating_world(T):
    """The cluster world plus namespace dev being deleted, as the namespace controller leaves it
    after its first pass: a pod still within its grace period, a ConfigMap held by a finalizer."""
    t = lambda off: ts(T, off)
    def condition(kind, status, reason, message):
        return {"type": kind, "status": status, "lastTransitionTime": t(-25), "reason": reason, "message": message}
    conditions = [
        condition("NamespaceDeletionDiscoveryFailure", "False", "ResourcesDiscovered",
                  "All resources successfully discovered"),
        condition("NamespaceDeletionGroupVersionParsingFailure", "False", "ParsedGroupVersions",
                  "All legacy kube types successfully parsed"),
        condition("NamespaceDeletionContentFailure", "False", "ContentDeleted",
                  "All content successfully deleted, may be waiting on finalization"),
        condition("NamespaceContentRemaining", "True", "SomeResourcesRemain",
                  "Some resources are remaining: configmaps. has 1 resource instances, pods. has 2 resource instances"),
        condition("NamespaceFinalizersRemaining", "True", "SomeFinalizersRemain",
                  "Some content in the namespace has finalizers remaining: example.com/keep in 1 resource instances"),
    ]
    dev = {"apiVersion": "v1", "kind": "Namespace",
           "metadata": {"name": "dev", "uid": "ns-dev", "resourceVersion": "90", "creationTimestamp": t(-600),
                        "deletionTimestamp": t(-30), "labels": {"kubernetes.io/metadata.name": "dev"}},
           "spec": {"finalizers": ["kubernetes"]}, "status": {"phase": "Terminating", "conditions": conditions}}
    return cluster_world(T) + [dev]


def workloads_world(T):
    """A StatefulSet rolled to a new image and a CronJob that ran three times, as the simulation left
    them (tests/fixtures/kubectl/workloads_world.json, dumped with timestamps as offsets from its end)."""
    return dumped_world("workloads", T)


def sidecars_world(T):
    """A pod with a native sidecar (a log shipper with a startup probe) beside nginx, as the
    simulation left it (tests/fixtures/kubectl/sidecars_world.json, made by dump_world.py)."""
    return dumped_world("sidecars", T)


def busy_world(T):
    """A pod with three init containers and three containers: more than 12 events, several in the
    same second (tests/fixtures/kubectl/busy_world.json, made by dump_world.py)."""
    return dumped_world("busy", T)


def envs_world(T):
    """A pod whose environment names a ConfigMap that does not exist, 40 s after it was created:
    CreateContainerConfigError and the kubelet's Failed events (tests/fixtures/kubectl/envs_world.json,
    made by dump_world.py)."""
    return dumped_world("envs", T)


def volumes_world(T):
    """A pod with one volume of each kind (emptyDir, configMap with items and a subPath mount,
    secret, downwardAPI, projected, hostPath), and one waiting for a missing ConfigMap with its
    FailedMount events (tests/fixtures/kubectl/volumes_world.json, made by dump_world.py)."""
    return dumped_world("volumes", T)


def debugged_world(T):
    """A pod with two ephemeral containers from kubectl debug, one exited and one running
    (tests/fixtures/kubectl/debugged_world.json, made by dump_world.py)."""
    return dumped_world("debugged", T)


def rollouts_world(T):
    """Deployments and DaemonSets mid-story: web rolled twice and stuck past its progress deadline,
    db (Recreate) paused with a change waiting, api unable to create pods, agent surging onto a new
    image, picky matching no node (tests/fixtures/kubectl/rollouts_world.json, made by dump_world.py)."""
    return dumped_world("rollouts", T)


def dumped_world(name, T):
    """A world dumped from the simulation, its timestamps made relative to ``T`` again."""
    import json
    import os
    import re

    path = os.path.join(os.path.dirname(__file__), "..", "fixtures", "kubectl", f"{name}_world.json")
    with open(path, encoding="utf-8") as handle:
        text = handle.read()
    text = re.sub(r'"@@(-?\d+)(m?)@@"', lambda m: json.dumps(ts(T, int(m.group(1)), bool(m.group(2)))), text)
    return json.loads(text)


def exec_world(T):
    """Pods to exec into: two containers, one with a default-container annotation, one with an init
    container, one not scheduled, one whose container waits in CrashLoopBackOff, one finished."""
    t = lambda off: ts(T, off)

    def pod(name, containers, phase="Running", node="node-1", waiting=(), init=(), annotations=None):
        statuses = [{"name": c, "ready": c not in waiting, "restartCount": 3 if c in waiting else 0,
                     "state": {"waiting": {"reason": "CrashLoopBackOff"}} if c in waiting else
                     {"terminated": {"exitCode": 0, "reason": "Completed"}} if phase == "Succeeded" else
                     {"running": {"startedAt": t(-60)}}, "image": "busybox:1.36"} for c in containers]
        return {"apiVersion": "v1", "kind": "Pod",
                "metadata": {"name": name, "namespace": "default", "uid": f"exec-{name}", "resourceVersion": "3000",
                             "creationTimestamp": t(-90), "labels": {"app": name},
                             **({"annotations": annotations} if annotations else {})},
                "spec": {"containers": [{"name": c, "image": "busybox:1.36"} for c in containers],
                         **({"initContainers": [{"name": c, "image": "busybox:1.36"} for c in init]} if init else {}),
                         **({"nodeName": node} if node else {})},
                "status": {"phase": phase, **({"containerStatuses": statuses} if node else {})}}
    return [pod("web", ["nginx", "log-agent"]), pod("solo", ["app"]),
            pod("picky", ["app", "sidecar"], annotations={"kubectl.kubernetes.io/default-container": "sidecar"}),
            pod("stale", ["app", "helper"], annotations={"kubectl.kubernetes.io/default-container": "gone"}),
            pod("staged", ["app"], init=["setup"]), pod("pending", ["app"], phase="Pending", node=""),
            pod("crash", ["app"], waiting=("app",)), pod("done", ["app"], phase="Succeeded"),
            pod("stranded", ["app"], node="node-down")]


WORLDS = {"debugged": debugged_world, "exec": exec_world, "pod": pod_world, "cluster": cluster_world, "watch": cluster_world, "probes": probes_world, "conflicts": conflicts_world,
          "workloads": workloads_world, "sidecars": sidecars_world,
          "busy": busy_world, "envs": envs_world, "volumes": volumes_world,
          "rollouts": rollouts_world, "terminating": terminating_world}
SCRIPTS = {"watch": cluster_changes}  # the watch events a world's server streams, per resource
