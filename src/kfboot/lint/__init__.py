"""``kfboot lint``: kfboot's Argo CD rules on any repository, no catalog needed.

Owns reading a tree the way Argo CD finds its objects (``reading``: kustomizations followed, Helm
charts skipped, files without ``argoproj.io`` never parsed), the engine that applies every rule
of the registry that makes sense on a hand-written Application, ApplicationSet or AppProject
(``engine``, with the rules over the whole tree in ``tree_rules`` and the roots in ``roots``),
the SARIF and JUnit reporters (``reporters``), the baseline (``baseline``), ``--manifests``
(``manifests`` builds what each Application deploys, ``manifests_rules`` judges it) and the
whole run (``run``). ``kfboot check`` runs the same engine over the committed files of
bootstrap/. May import ``check.rules``, ``importing.tree``, ``manifests.build`` (the kustomize
command) and the shared top-level modules.
"""
