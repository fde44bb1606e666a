"""A whole ``kfboot lint``: read the tree, find the roots, run the engine and the tree rules."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from pathlib import Path

from kfboot.lint import tree_rules
from kfboot.lint.engine import Located, lint_objects
from kfboot.lint.git_paths import path_findings
from kfboot.lint.reading import ArgoObject, Tree, health_check_anywhere, read_tree
from kfboot.lint.roots import Roots, repository_root


@dataclass(frozen=True)
class Manifests:
    """``--manifests``: build what the Applications deploy (``kustomize``: the build command;
    ``kube_version``: the target Kubernetes, for removed APIs)."""

    kustomize: str | None = None
    kube_version: tuple[int, int] | None = None


def lint_tree(
    tree: Tree,
    repo: Path,
    linted: list[Path],
    ignore: Collection[str] = (),
    manifests: Manifests | None = None,
) -> list[Located]:
    """Every finding for the objects of ``tree`` read from ``linted`` (source paths relative to
    ``repo``)."""
    roots = Roots(tree.objects, repo, linted)
    objects = tree.objects
    found = [Located(problem) for problem in tree.problems]
    found += lint_objects(objects, lambda i, _: i in roots.children)
    found += tree_rules.duplicates(objects)
    found += tree_rules.project_scope(objects)
    found += tree_rules.double_roots(objects, roots)

    def present() -> bool:
        return tree.health_check or health_check_anywhere(linted)

    found += tree_rules.health_check(objects, present)
    found += path_findings(objects, repo)
    if manifests is not None:
        found += _manifest_findings(objects, roots, manifests)
    return sorted({f for f in found if f.finding.rule not in ignore})


def _manifest_findings(
    objects: list[ArgoObject], roots: Roots, manifests: Manifests
) -> list[Located]:
    from kfboot.lint import manifests_order, manifests_rules
    from kfboot.lint.manifests import build

    built = build(objects, roots, manifests.kustomize)
    found = [*manifests_rules.build_failures(built), *manifests_rules.duplicates(built)]
    found += manifests_order.ordering(built) + manifests_order.missing_paths(objects, roots)
    found += manifests_rules.hpa_self_heal(built)
    if manifests.kube_version is not None:
        found += manifests_rules.removed_apis(built, manifests.kube_version)
    return found


def lint(
    paths: list[Path], ignore: Collection[str] = (), manifests: Manifests | None = None
) -> tuple[list[Located], list[Path]]:
    """The findings under ``paths`` (default ``.``) and the files judged."""
    paths = paths or [Path()]
    tree = read_tree(paths)
    return lint_tree(tree, repository_root(paths[0]), paths, ignore, manifests), tree.files
