"""Adversarial tests (issue 14): hostile files, secrets, caches, symlinks, a misbehaving cluster.

Each test runs a command the way an attacker would feed it and asserts what must hold: the exit
code, a one-line message with no traceback, no secret echoed, and files left byte-identical where
nothing should change. Anything that could hang or exhaust memory runs in a bounded subprocess
(:func:`tests.adversarial.harness.bounded`).
"""
