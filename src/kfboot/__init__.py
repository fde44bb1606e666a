"""kfboot: render the Argo CD GitOps bootstrap for Kubeflow from one catalog, waves.yaml."""

__version__ = "0.1.0"
