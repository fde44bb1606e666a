"""The process that runs jq for ``check --manifests``: ``python -m kfboot.manifests.jq_worker
BYTES``.

It binds libjq through the optional ``jq`` package (``pip install 'kfboot[manifests]'``) and
runs under an address-space limit of BYTES (``RLIMIT_AS``), so an expression that allocates
without bound kills this process only; the caller (:mod:`kfboot.manifests.jq`) also enforces
the time budget and restarts it. Requests and replies are JSON lines on stdin and stdout,
after a first ``{"ready": true}`` once jq is loaded:

- ``{"expr": E}``: compile ``del(E)`` as Argo CD does; reply ``{"ok": true}`` or
  ``{"parse": message}``;
- ``{"expr": E, "doc": D}``: run it on D; reply ``{"ok": true, "doc": result}``,
  ``{"parse": message}`` or ``{"error": message}`` (a run-time error; also no output or more
  than one, which Argo CD refuses: argo-cd v3.4.7 util/argo/normalizers/diff_normalizer.go
  L81-95).
"""

from __future__ import annotations

import json
import resource
import sys
from typing import Any


def _reply(out: Any, message: dict[str, Any]) -> None:
    out.write(json.dumps(message).encode() + b"\n")
    out.flush()


def _answer(programs: dict[str, Any], request: dict[str, Any]) -> dict[str, Any]:
    import jq

    expression = request["expr"]
    program = programs.get(expression)
    if program is None:
        try:
            program = jq.compile(f"del({expression})")
        except ValueError as exc:
            return {"parse": str(exc).strip()}
        programs[expression] = program
    if "doc" not in request:
        return {"ok": True}
    try:
        outputs = program.input_value(request["doc"]).all()
    except ValueError as exc:
        return {"error": str(exc).strip()}
    if len(outputs) != 1:
        return {"error": "no output" if not outputs else "more than one output"}
    return {"ok": True, "doc": outputs[0]}


def main(argv: list[str]) -> int:
    limit = int(argv[0])
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    import jq  # noqa: F401  (fails here, before the first request, when the extra is missing)

    programs: dict[str, Any] = {}
    out = sys.stdout.buffer
    _reply(out, {"ready": True})
    for line in sys.stdin.buffer:
        try:
            message = _answer(programs, json.loads(line))
        except MemoryError:
            message = {"error": "out of memory"}
        _reply(out, message)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
