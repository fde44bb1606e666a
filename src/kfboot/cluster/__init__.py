"""The commands that talk to a cluster: ``status``, ``wait``, ``sync``, ``verify``, ``logs``.

Owns the one way to call kubectl (``kubectl``), pure status reports from Application JSON
(``status``), the waiting and syncing loops (``waiting``), the verification checklist
(``verify``) and the workloads an Application manages (``workloads``).
May import ``catalog`` and the shared top-level modules; never ``render`` or ``check``.
"""
