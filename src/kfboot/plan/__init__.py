"""``kfboot plan``: what Argo CD will do when a catalog change lands, before it lands.

The base catalog is read through git (:func:`kfboot.gitrepo.show`, never a checkout over the
user's tree), both catalogs are rendered in memory, and their Applications are compared per root
(per cluster in a fleet), as ``terraform plan`` compares state: created, deleted, renamed and
changed Applications, cascading deletions, what must be applied by hand, an Argo CD upgrade,
extra resources. With ``--manifests`` both revisions are built and compared object by object.

- ``state.py``: the Applications, hand-applied objects and Argo CD pins of one catalog;
- ``diff.py``: two states in, plan items out; ``base.py``: the base catalog from git;
- ``objects.py``: the object-level hazards of ``--manifests``; ``report.py``: the formats.

- ``renames.py``: the renames ``render`` warns of.

May import the catalog, render, check (its Application index), manifests and gitrepo packages.
Nothing is imported here: ``render`` reads ``renames`` on every run and must not load the planner.
"""
