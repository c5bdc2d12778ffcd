"""A tiny command for tests/unit/test_zygote_run.py, run as a fork of a zygote (no nova)."""
import os
import sys
import time


def main() -> int:
    mode, *rest = sys.argv[1:]
    if mode == "echo":
        print(f"argv={sys.argv[1:]} cwd={os.getcwd()} env={os.environ.get('ZYGOTE_TEST')}")
        print(f"stdin={sys.stdin.read()!r}", file=sys.stderr)
        return int(rest[0])
    if mode == "big":
        sys.stdout.write("x" * int(rest[0]))
        return 0
    if mode == "sleep":
        with open(rest[0], "w") as pid_file:
            pid_file.write(str(os.getpid()))
        time.sleep(600)
    if mode == "exit":
        sys.exit(rest[0])
    return 99
