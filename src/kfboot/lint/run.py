"""A whole ``kfboot lint``: read the tree, find the roots, run the engine and the tree rules."""

from __future__ import annotations

from collections.abc import Collection
from pathlib import Path

from kfboot.lint import tree_rules
from kfboot.lint.engine import Located, lint_objects
from kfboot.lint.reading import Tree, read_tree
from kfboot.lint.roots import Roots, repository_root


def lint_tree(
    tree: Tree, repo: Path, linted: list[Path], ignore: Collection[str] = ()
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
    found += tree_rules.health_check(objects, tree.health_check)
    return sorted({f for f in found if f.finding.rule not in ignore})


def lint(paths: list[Path], ignore: Collection[str] = ()) -> tuple[list[Located], list[Path]]:
    """The findings under ``paths`` (default ``.``) and the files judged."""
    paths = paths or [Path()]
    tree = read_tree(paths)
    return lint_tree(tree, repository_root(paths[0]), paths, ignore), tree.files
