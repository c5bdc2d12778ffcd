"""`embedded-cloud up` prints one progress line per event, whole, though the
services start in parallel threads: print() wrote a line and its newline
apart, two threads' lines came out as "AB" then an empty line, and the
suite's relay (acceptance/cloud/embedded.py) repeated the merged one."""
from __future__ import annotations

import re
import subprocess
import sys
import textwrap

LINE = re.compile(r"^\[ *\d+\.\ds\] worker-\d+ +event \d+$")


def test_parallel_progress_lines_come_out_whole(tmp_path):
    # A process of its own, writing to a pipe, as `up` does under the suite.
    script = textwrap.dedent(f"""
        import threading
        from embedded_cloud.cloud import EmbeddedCloud
        cloud = EmbeddedCloud({str(tmp_path / "cloud")!r})
        def say(n):
            for i in range(300):
                cloud.say(f"worker-{{n}}", f"event {{i}}")
        threads = [threading.Thread(target=say, args=(n,)) for n in range(8)]
        for t in threads: t.start()
        for t in threads: t.join()
    """)
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    lines = done.stdout.split("\n")[:-1]
    assert len(lines) == 8 * 300
    assert [line for line in lines if not LINE.match(line)] == []
