"""A small manifests checkout and catalogs over it, built to trigger every ``manifests-*`` rule.

Wave 0 ``foundation`` provides the Gadget and Certificate CRDs but uses a Widget that only wave 1
provides; wave 1 ``widgets`` declares dependsOn foundation (a contradiction); ``webhook`` has a
renamed path and shares a ClusterRole with foundation; ``portal`` has no CreateNamespace and uses
a namespace that wave 2 creates, one nobody creates, and an unknown CRD; ``mesh-apps`` runs pods
in a namespace that wave 2 labels; ``extras`` needs foundation without declaring it; ``pipelines``
pulls a remote resource, ``broken`` fails to build, ``feature`` is a kind: Component directory and
``chart`` is a Helm chart. ``converge`` (wave 2) has each convergence defect: an aggregated
ClusterRole whose rules are diffed, one covered only by a jq path kfboot cannot evaluate, a
webhook caBundle, Istio's validator failing open, a CRD with ``preserveUnknownFields: false``,
and a custom resource applied with the Deployment serving the webhook that validates it;
:data:`CONVERGE_FIX` fixes them all.
"""

from __future__ import annotations

from pathlib import Path


def crd(plural: str, group: str, kind: str, scope: str = "Namespaced") -> str:
    return f"""apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata:
  name: {plural}.{group}
spec:
  group: {group}
  names:
    kind: {kind}
    plural: {plural}
  scope: {scope}
  versions:
    - name: v1
      served: true
      storage: true
      schema:
        openAPIV3Schema:
          type: object
          properties:
            spec:
              type: object
              description: "names: kind: NotThis (a decoy line inside the schema)"
"""


def obj(api: str, kind: str, name: str, namespace: str = "", labels: str = "") -> str:
    ns = f"\n  namespace: {namespace}" if namespace else ""
    lab = f"\n  labels:\n    {labels}" if labels else ""
    return f"apiVersion: {api}\nkind: {kind}\nmetadata:\n  name: {name}{ns}{lab}\n"


def deployment(name: str, namespace: str) -> str:
    return f"""apiVersion: apps/v1
kind: Deployment
metadata:
  name: {name}
  namespace: {namespace}
spec:
  selector:
    matchLabels: {{app: {name}}}
  template:
    metadata:
      labels: {{app: {name}}}
    spec:
      containers:
        - name: main
          image: example.com/{name}:1
"""


def kustomization(*resources: str, kind: str = "Kustomization") -> str:
    api = "v1alpha1" if kind == "Component" else "v1beta1"
    items = "".join(f"  - {r}\n" for r in resources)
    return f"apiVersion: kustomize.config.k8s.io/{api}\nkind: {kind}\nresources:\n{items}"


def write_dir(root: Path, rel: str, files: dict[str, str]) -> None:
    """``files`` is {name: text}; a kustomization listing them all is written beside them."""
    directory = root / rel
    directory.mkdir(parents=True, exist_ok=True)
    for name, text in files.items():
        (directory / name).write_text(text)
    (directory / "kustomization.yaml").write_text(kustomization(*files))


WEBHOOK = """apiVersion: admissionregistration.k8s.io/v1
kind: MutatingWebhookConfiguration
metadata:
  name: webhook
webhooks:
  - name: webhook.example.com
    admissionReviewVersions: [v1]
    sideEffects: None
    clientConfig:
      service: {name: webhook, namespace: webhook}
"""


def aggregated(name: str) -> str:
    return f"""apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata:
  name: {name}
aggregationRule:
  clusterRoleSelectors:
    - matchLabels: {{rbac.example.com/aggregate-to-{name}: "true"}}
rules: []
"""


SPROCKET_WEBHOOK = """apiVersion: admissionregistration.k8s.io/v1
kind: ValidatingWebhookConfiguration
metadata:
  name: sprocket-validator
webhooks:
  - name: sprockets.converge.io
    admissionReviewVersions: [v1]
    sideEffects: None
    clientConfig:
      caBundle: ""
      service: {name: sprocket-webhook, namespace: converge}
    rules:
      - operations: [CREATE, UPDATE]
        apiGroups: [converge.io]
        apiVersions: [v1]
        resources: [sprockets]
"""

# Istio's validator ships failing open; istiod turns it to Fail once ready.
ISTIO_VALIDATOR = """apiVersion: admissionregistration.k8s.io/v1
kind: ValidatingWebhookConfiguration
metadata:
  name: istio-validator-converge
webhooks:
  - name: rev.validation.istio.io
    admissionReviewVersions: [v1]
    sideEffects: None
    failurePolicy: Ignore
    clientConfig:
      service: {name: istiod, namespace: converge}
    rules:
      - operations: [CREATE, UPDATE]
        apiGroups: [security.istio.io]
        apiVersions: ["*"]
        resources: ["*"]
"""

SPROCKET_SERVICE = """apiVersion: v1
kind: Service
metadata:
  name: sprocket-webhook
  namespace: converge
spec:
  selector: {app: sprocket-webhook}
  ports: [{port: 443}]
"""


def converge_tree(root: Path) -> None:
    sprockets = crd("sprockets", "converge.io", "Sprocket").replace(
        "spec:\n  group:", "spec:\n  preserveUnknownFields: false\n  group:", 1
    )
    write_dir(
        root,
        "apps/converge",
        {
            "roles.yaml": aggregated("agg-diffed") + "---\n" + aggregated("agg-unknown"),
            "crd.yaml": sprockets,
            "webhook.yaml": SPROCKET_WEBHOOK,
            "istio.yaml": ISTIO_VALIDATOR,
            "service.yaml": SPROCKET_SERVICE,
            "deploy.yaml": deployment("sprocket-webhook", "converge"),
            "sprocket.yaml": obj("converge.io/v1", "Sprocket", "s1", "converge"),
        },
    )


def broken_tree(root: Path) -> None:
    converge_tree(root)
    write_dir(
        root,
        "infra/crds",
        {
            "gadgets.yaml": crd("gadgets", "example.com", "Gadget"),
            "certificates.yaml": crd("certificates", "cert-manager.io", "Certificate"),
            "early-widget.yaml": obj("example.com/v1", "Widget", "early-widget", "infra"),
            "reader.yaml": obj("rbac.authorization.k8s.io/v1", "ClusterRole", "shared-reader"),
        },
    )
    write_dir(root, "infra/namespaces", {"infra.yaml": obj("v1", "Namespace", "infra")})
    write_dir(
        root,
        "apps/widgets",
        {
            "widgets.yaml": crd("widgets", "example.com", "Widget"),
            "controller.yaml": deployment("widgets-controller", "widgets"),
        },
    )
    write_dir(
        root,
        "apps/webhook/base",
        {
            "webhook.yaml": WEBHOOK,
            "cert.yaml": obj("cert-manager.io/v1", "Certificate", "webhook-cert", "webhook"),
            "reader.yaml": obj("rbac.authorization.k8s.io/v1", "ClusterRole", "shared-reader"),
            "deploy.yaml": deployment("webhook", "webhook"),
        },
    )
    write_dir(root, "apps/webhook/overlays/issuer", {"cm.yaml": obj("v1", "ConfigMap", "issuer")})
    write_dir(
        root,
        "apps/portal",
        {
            "deploy.yaml": deployment("portal", "late"),
            "cm.yaml": obj("v1", "ConfigMap", "portal-settings", "portal"),
            "thing.yaml": obj("other.io/v1", "Thing", "mystery", "late"),
        },
    )
    write_dir(root, "apps/mesh", {"deploy.yaml": deployment("mesh-app", "mesh")})
    write_dir(
        root,
        "apps/extras",
        {
            "late.yaml": obj("v1", "Namespace", "late"),
            "mesh.yaml": obj("v1", "Namespace", "mesh", labels="istio-injection: enabled"),
            "gadget.yaml": obj("example.com/v1", "Gadget", "g1", "extras"),
        },
    )
    feature = root / "apps/extras/components/feature"
    feature.mkdir(parents=True)
    (feature / "cm.yaml").write_text(obj("v1", "ConfigMap", "feature"))
    (feature / "kustomization.yaml").write_text(kustomization("cm.yaml", kind="Component"))
    pipelines = root / "apps/pipelines"
    pipelines.mkdir(parents=True)
    (pipelines / "kustomization.yaml").write_text(
        kustomization("https://github.com/kubeflow/pipelines/manifests/kustomize/base?ref=2.5.0")
    )
    broken = root / "apps/broken"
    broken.mkdir(parents=True)
    (broken / "kustomization.yaml").write_text(kustomization("missing.yaml"))


HEAD = """repoURL: https://github.com/acme/manifests.git
waves:
  - wave: 0
    label: Foundation
  - wave: 1
    label: Core
  - wave: 2
    label: Extras
components:
"""

# After the components, so that the line numbers findings point at stay put: no warning from
# check's own rules about the Application health check (these catalogs have no argocd component).
TAIL = "clusterHasApplicationHealthCheck: true\n"

BROKEN_COMPONENTS = """  - name: foundation
    wave: 0
    namespace: infra
    paths: [infra/crds, infra/namespaces]
  - name: widgets
    wave: 1
    namespace: widgets
    dependsOn: [foundation]
    paths: [apps/widgets]
  - name: webhook
    wave: 1
    namespace: webhook
    dependsOn: [foundation]
    paths:
      - apps/webhook/base
      - apps/webhook/issuer/base
    kustomize:
      namespace: webhook
  - name: portal
    wave: 1
    namespace: portal
    syncOptions: [ServerSideApply=true]
    paths: [apps/portal]
    ignoreDifferences:
      - kind: ConfigMap
        jqPathExpressions: [".data[", '.data."\\(1)"']
  - name: mesh-apps
    wave: 1
    namespace: mesh
    paths: [apps/mesh]
  - name: extras
    wave: 2
    namespace: extras
    paths: [apps/extras]
  - name: pipelines
    wave: 2
    namespace: kubeflow
    paths: [apps/pipelines]
  - name: broken
    wave: 2
    namespace: broken
    paths: [apps/broken]
  - name: feature
    wave: 2
    namespace: feature
    paths: [apps/extras/components/feature]
  - name: chart
    wave: 2
    namespace: chart
    helm:
      repoURL: https://charts.example.com
      chart: chart
      targetRevision: 1.0.0
  - name: converge
    wave: 2
    namespace: converge
    paths: [apps/converge]
    ignoreDifferences:
      - group: rbac.authorization.k8s.io
        kind: ClusterRole
        name: agg-unknown
        jqPathExpressions: [".metadata.labels | keys"]
    resourceWaves:
      - {group: converge.io, kind: Sprockets, wave: 1}
      - {group: converge.example.io, kind: Sprocket, wave: 1}
"""

# What makes the converge component converge (replacing its ignoreDifferences).
CONVERGE_FIX = """    syncOptions: [CreateNamespace=true, RespectIgnoreDifferences=true]
    ignoreDifferences:
      - group: rbac.authorization.k8s.io
        kind: ClusterRole
        jqPathExpressions:
          - select(.aggregationRule.clusterRoleSelectors | length > 0) | .rules
      - group: admissionregistration.k8s.io
        kind: ValidatingWebhookConfiguration
        jqPathExpressions: [".webhooks[]?.clientConfig.caBundle"]
      - group: admissionregistration.k8s.io
        kind: ValidatingWebhookConfiguration
        name: istio-validator-converge
        jqPathExpressions: [".webhooks[]?.failurePolicy"]
      - group: apiextensions.k8s.io
        kind: CustomResourceDefinition
        jsonPointers: [/spec/preserveUnknownFields]
    resourceWaves:
      - {group: converge.io, kind: Sprocket, wave: 1}
"""


def broken_catalog(offline_only: bool = False) -> str:
    """The catalog over :func:`broken_tree`; ``offline_only`` disables pipelines and chart."""
    text = HEAD + BROKEN_COMPONENTS + TAIL
    if offline_only:
        for name in ("pipelines", "chart"):
            text = text.replace(f"  - name: {name}\n", f"  - name: {name}\n    enabled: false\n")
    return text


def clean_tree(root: Path) -> None:
    write_dir(
        root,
        "infra/crds",
        {
            "gadgets.yaml": crd("gadgets", "example.com", "Gadget"),
            "team.yaml": obj("v1", "Namespace", "team", labels="istio-injection: enabled"),
        },
    )
    write_dir(root, "infra/more", {"cm.yaml": obj("v1", "ConfigMap", "more", "infra")})
    write_dir(
        root,
        "apps/team",
        {
            "gadget.yaml": obj("example.com/v1", "Gadget", "g1", "team"),
            "deploy.yaml": deployment("team-app", "team"),
        },
    )


CLEAN_COMPONENTS = """  - name: foundation
    wave: 0
    namespace: infra
    paths: [infra/crds, infra/more]
  - name: team
    wave: 1
    namespace: team
    dependsOn: [foundation]
    paths: [apps/team]
"""


def clean_catalog() -> str:
    return HEAD + CLEAN_COMPONENTS + TAIL
