"""Fail a cloud test during which the Neutron stand-in could not answer a request.

The stand-in records each request it cannot answer in its cloud's run
directory (Layout.standin_record); a cloud test reads that record before and
after it runs, so a new question from nova (or a client) fails the test that
asked it, instead of hiding behind a 404 nova may swallow.
"""
from __future__ import annotations

from pathlib import Path

from embedded_cloud.layout import Layout
from embedded_cloud.wsgi.neutron_standin import unanswered


class StandinWatch:
    def __init__(self, run_dirs: list[Path]) -> None:
        self._before = {record: self._mark(record) for record in map(_record, run_dirs)}
        self._expected: list[tuple[str, str]] = []

    @staticmethod
    def _mark(record: Path) -> tuple[tuple, int]:
        """(which file, lines so far): a record made anew by a new cloud in the same
        place starts again (its inode may be the old one's; its first line is not)."""
        requests = unanswered(record)
        try:
            return (record.stat().st_ino, requests[0] if requests else None), len(requests)
        except FileNotFoundError:
            return (0, None), 0

    def expect(self, method: str, path: str) -> None:
        """This test asks the stand-in something it does not answer, on purpose."""
        self._expected.append((method, path))

    def problems(self, more_run_dirs: list[Path] = ()) -> list[str]:
        """What went against the watch: requests unanswered since it began and not
        expected, and expected ones that were not recorded; one line each."""
        records = set(self._before) | set(map(_record, more_run_dirs))
        seen = []
        for record in sorted(records):
            identity, count = self._before.get(record, ((0, None), 0))
            requests = unanswered(record)
            if self._mark(record)[0] != identity and count:
                count = 0
            seen += [(r["method"], r["path"], record) for r in requests[count:]]
        lines = []
        for method, path, record in seen:
            if (method, path.split("?")[0]) in self._expected:
                self._expected.remove((method, path.split("?")[0]))
            else:
                lines.append(f"unanswered: {method} {path} (in {record})")
        return lines + [f"expected but not recorded: {method} {path}"
                        for method, path in self._expected]


def _record(run_dir: Path) -> Path:
    return Layout(Path(run_dir)).standin_record
