"""Issue #11, item 7: the helper runs on Windows, so no POSIX-only call sits in helper/
unless a platform check guards it.

Read from the source (ast), not by running: os.fork, os.getuid and friends, signal.SIGKILL,
SIGALRM, SIGHUP…, and the modules Windows lacks (fcntl, pwd, grp, termios, resource…).
A use is allowed inside an `if` or conditional expression whose test looks at the platform
(`sys.platform`, `os.name`, `platform.system()`, `.platform ==`, `hasattr(os, …)`), or an
import inside `try: … except ImportError`.
"""
from __future__ import annotations

import ast
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
HELPER = REPO / "helper"

POSIX_MODULES = {"fcntl", "pwd", "grp", "termios", "tty", "pty", "resource", "crypt", "spwd", "syslog", "posix",
                 "readline", "nis", "posix_ipc"}
POSIX_ATTRS = {
    "os": {"fork", "forkpty", "getuid", "geteuid", "getgid", "getegid", "setuid", "setgid", "seteuid", "setegid",
           "setsid", "getsid", "getpgid", "setpgid", "setpgrp", "getpgrp", "killpg", "uname", "chown", "lchown",
           "fchown", "mkfifo", "mknod", "nice", "wait", "wait3", "wait4", "getloadavg", "sync", "statvfs",
           "fstatvfs", "sched_getaffinity", "sched_setaffinity", "pipe2", "openpty", "getgroups", "setgroups",
           "initgroups", "getresuid", "setresuid", "ttyname", "ctermid", "WNOHANG", "O_NOFOLLOW", "posix_spawn",
           "getpriority", "setpriority", "geteuid"},
    "signal": {"SIGKILL", "SIGALRM", "SIGHUP", "SIGUSR1", "SIGUSR2", "SIGCHLD", "SIGQUIT", "SIGSTOP", "SIGCONT",
               "SIGPIPE", "SIGTSTP", "alarm", "setitimer", "getitimer", "pause", "siginterrupt", "sigwait",
               "pthread_kill", "pthread_sigmask"},
}
GUARD_WORDS = ("sys.platform", "os.name", "platform.system", ".platform", "platform_kind", "hasattr(os",
               "hasattr(signal", "IS_WINDOWS", "IS_POSIX")


def _guarded_by_platform(test: ast.AST) -> bool:
    text = ast.unparse(test)
    return any(word in text for word in GUARD_WORDS)


def violations(source: str, filename: str = "<src>") -> list[str]:
    tree = ast.parse(source, filename)
    found: list[str] = []

    def visit(node: ast.AST, guarded: bool, import_guarded: bool) -> None:
        here = guarded
        if isinstance(node, (ast.If, ast.IfExp)):
            if _guarded_by_platform(node.test):
                # Both branches of a platform check know which platform they are on.
                for child in ast.iter_child_nodes(node):
                    visit(child, True, import_guarded)
                return
        if isinstance(node, ast.Try):
            catches_import = any(isinstance(h.type, ast.Name) and h.type.id in ("ImportError", "ModuleNotFoundError")
                                 or isinstance(h.type, ast.Tuple) and any(getattr(e, "id", "") in (
                                     "ImportError", "ModuleNotFoundError") for e in h.type.elts)
                                 for h in node.handlers)
            for stmt in node.body:
                visit(stmt, here, import_guarded or catches_import)
            for other in [*node.handlers, *node.orelse, *node.finalbody]:
                visit(other, here, import_guarded)
            return
        if not here:
            line = getattr(node, "lineno", "?")
            if isinstance(node, ast.Import) and not import_guarded:
                for alias in node.names:
                    if alias.name.split(".")[0] in POSIX_MODULES:
                        found.append(f"{filename}:{line}: import {alias.name}")
            elif isinstance(node, ast.ImportFrom) and not import_guarded and node.module:
                root = node.module.split(".")[0]
                if root in POSIX_MODULES:
                    found.append(f"{filename}:{line}: from {node.module} import …")
                for alias in node.names:
                    if alias.name in POSIX_ATTRS.get(root, ()):
                        found.append(f"{filename}:{line}: from {root} import {alias.name}")
            elif isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name):
                if node.attr in POSIX_ATTRS.get(node.value.id, ()):
                    found.append(f"{filename}:{line}: {node.value.id}.{node.attr}")
            elif isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "getattr" \
                    and len(node.args) >= 2 and isinstance(node.args[0], ast.Name) \
                    and isinstance(node.args[1], ast.Constant) \
                    and node.args[1].value in POSIX_ATTRS.get(node.args[0].id, ()) and len(node.args) == 2:
                found.append(f"{filename}:{line}: getattr({node.args[0].id}, {node.args[1].value!r})")
        for child in ast.iter_child_nodes(node):
            visit(child, here, import_guarded)

    visit(tree, False, False)
    return found


HELPER_FILES = sorted(HELPER.rglob("*.py"))


def test_the_helper_has_sources_to_check():
    assert len(HELPER_FILES) > 30 and HELPER / "autostart.py" in HELPER_FILES


@pytest.mark.parametrize("path", HELPER_FILES, ids=lambda p: p.relative_to(REPO).as_posix())
def test_no_posix_only_call_in_the_helper(path):
    assert violations(path.read_text(encoding="utf-8"), str(path.relative_to(REPO))) == []


@pytest.mark.parametrize("snippet", [
    "import os\nos.fork()",
    "import os\nuid = os.getuid()",
    "import fcntl",
    "import pwd, json",
    "from os import getuid",
    "from resource import getrlimit",
    "import os, signal\nos.kill(1, signal.SIGKILL)",
    "import signal\nsignal.alarm(3)",
    "import os\nx = getattr(os, 'fork')",
    "def f():\n    import termios\n    return termios",
    "import os\nif os.environ.get('X'):\n    os.setsid()",
])
def test_the_checker_catches_posix_only_calls(snippet):
    assert violations(snippet)


@pytest.mark.parametrize("snippet", [
    "import sys, os\nif sys.platform != 'win32':\n    os.fork()",
    "import os\nif os.name == 'posix':\n    import fcntl\nelse:\n    import msvcrt",
    "import os\nuid = os.getuid() if hasattr(os, 'getuid') else None",
    "try:\n    import fcntl\nexcept ImportError:\n    fcntl = None",
    "import os, signal\nif target.platform == 'macos':\n    os.kill(1, signal.SIGTERM)",
    "import os, signal\nos.kill(1, signal.SIGTERM)",   # SIGTERM exists on Windows
    "import os\nos.getpid(); os.replace('a', 'b')",
])
def test_the_checker_allows_portable_or_guarded_code(snippet):
    assert violations(snippet) == []
