"""YAML typing does not depend on what else the process imported.

yamllint's ``quoted-strings`` rule adds YAML 1.2 octal (``0o17``) to PyYAML's shared ``Resolver``
class when it is imported. A loader inheriting that class would then read ``0o17`` as 15 (and
refuse it as a non-decimal integer) in any process that also imported yamllint: a plugin, a test
run, a pre-commit host. Each case runs in a fresh interpreter so the pollution is real and local.
"""

from __future__ import annotations

import subprocess
import sys

import pytest

_PROGRAM = """
import yamllint.rules  # mutates yaml.resolver.Resolver on import
from kfboot import yamledit, yamlio
import yaml
{body}
"""
_CASES = {
    "load_with_positions": "print(yamlio.load_with_positions('a: 0o17\\n')[0]['a'] == '0o17')",
    "load_all": "print(yamlio.load_all('a: 0o17\\n')[0]['a'] == '0o17')",
    "parse_back": "print(yamlio.parse_back('a: 0o17\\n')[0]['a'] == '0o17')",
    "yamledit": "print(yamledit._compose('a: 0o17\\n').value[0][1].tag.endswith(':str'))",
    "import tree": ("print(yaml.load('a: 0o17', Loader=yamlio.FastSafeLoader)['a'] == '0o17')"),
}


@pytest.mark.parametrize("case", sorted(_CASES))
def test_yamllint_imported_first_changes_nothing(case: str) -> None:
    program = _PROGRAM.format(body=_CASES[case])
    proc = subprocess.run(
        [sys.executable, "-c", program], capture_output=True, text=True, check=False
    )
    assert proc.stdout.strip() == "True", proc.stderr[-2000:]


def test_the_shared_resolver_really_is_polluted() -> None:
    """The premise: without the private table, the same process reads 0o17 as an int."""
    program = _PROGRAM.format(body="print(yaml.safe_load('a: 0o17')['a'])")
    proc = subprocess.run(
        [sys.executable, "-c", program], capture_output=True, text=True, check=False
    )
    assert proc.stdout.strip() == "15", proc.stderr[-2000:]
