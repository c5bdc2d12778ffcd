"""A scenario's Placement usages as a small inline SVG chart.

One panel per resource class (VCPU, MEMORY_MB, DISK_GB, ...), one line per
compute host, one point per sample (the columns of the usages table), and the
fault steps (stop, kill, force down, cut path, start ...) as dashed lines
between the samples they fell between. Plain SVG: no script, no external
asset, so the page stays one self-contained file. Every point carries its
row, column and value (``data-*``) so a test can hold it against the table.
"""

from __future__ import annotations

from reports.html_kit import escape

_COLOURS = ("#1f6fb2", "#d9822b", "#2e8540", "#8e44ad")
_DASHES = ("", "5 3", "2 2", "8 3 2 3")  # a second host on the same values stays visible
_LEFT, _RIGHT, _TOP, _STEP = 96, 150, 80, 76
_PANEL, _GAP, _LABELS = 54, 16, 96


def usage_chart_svg(columns: list[str], rows: dict[str, list], events: list[dict]) -> str:
    """``rows`` maps "HOST CLASS" to one value per column (None: not sampled);
    ``events`` are ``{"at": n, "label": ...}``, n the samples taken before."""
    classes, hosts = _classes_and_hosts(rows)
    if not columns or not classes:
        return ""
    width = _LEFT + max(_STEP * (len(columns) - 1), _STEP) + _RIGHT
    plot_bottom = _TOP + len(classes) * (_PANEL + _GAP) - _GAP
    height = plot_bottom + _LABELS + 18 * ((len(hosts) + 2) // 3)

    def x(position: float) -> float:
        return _LEFT + _STEP * position

    parts = [
        f'<svg class="usage-timeline" width="{width}" '
        f'height="{height}" viewBox="0 0 {width} {height}" role="img" '
        f'aria-label="Placement usages of each compute host at each step">',
        '<style>text{font:10px sans-serif;fill:#333}.axis{stroke:#999;stroke-width:1}'
        '.fault line{stroke:#c0392b;stroke-dasharray:4 3}.fault text{fill:#c0392b}</style>',
    ]
    for number, rc in enumerate(classes):
        parts.append(_panel(rc, hosts, rows, len(columns), columns, _TOP + number * (_PANEL + _GAP), x))
    parts += _events(events, len(columns), plot_bottom, x)
    parts += _column_labels(columns, plot_bottom, x)
    parts += _legend(hosts, plot_bottom + _LABELS)
    parts.append("</svg>")
    return "".join(parts)


def _classes_and_hosts(rows: dict[str, list]) -> tuple[list[str], list[str]]:
    classes, hosts = [], []
    for key in rows:
        host, _, rc = str(key).rpartition(" ")
        if rc and rc not in classes:
            classes.append(rc)
        if host not in hosts:
            hosts.append(host)
    return classes, hosts


def _panel(rc, hosts, rows, count, columns, top, x) -> str:
    values = [v for host in hosts for v in rows.get(f"{host} {rc}", []) if isinstance(v, (int, float))]
    peak = max(values, default=0) or 1

    def y(value) -> float:
        return round(top + _PANEL - _PANEL * value / peak, 1)

    parts = [
        f'<g class="panel" data-class="{escape(rc)}">',
        f'<text x="{_LEFT - 8}" y="{top + 10}" text-anchor="end">{escape(rc)}</text>',
        f'<text x="{_LEFT - 8}" y="{top + _PANEL}" text-anchor="end">0</text>',
        f'<text x="{_LEFT - 8}" y="{top + 24}" text-anchor="end">max {escape(_number(peak))}</text>',
        f'<line class="axis" x1="{_LEFT}" y1="{top + _PANEL}" x2="{x(count - 1)}" y2="{top + _PANEL}"/>',
        f'<line class="axis" x1="{_LEFT}" y1="{top}" x2="{_LEFT}" y2="{top + _PANEL}"/>',
    ]
    for index, host in enumerate(hosts):
        key = f"{host} {rc}"
        if key not in rows:
            continue
        colour, dash = _COLOURS[index % len(_COLOURS)], _DASHES[index % len(_DASHES)]
        # A host missing from a sample breaks its line there.
        for segment in _segments(rows[key]):
            points = " ".join(f"{x(i)},{y(v)}" for i, v in segment)
            parts.append(f'<polyline fill="none" stroke="{colour}" stroke-width="2" '
                         f'stroke-dasharray="{dash}" points="{points}"/>' if len(segment) > 1 else "")
        for i, value in enumerate(rows[key]):
            if not isinstance(value, (int, float)):
                continue
            parts.append(
                f'<circle class="point" cx="{x(i)}" cy="{y(value)}" r="3" fill="{colour}" '
                f'data-row="{escape(key)}" data-column="{i}" data-value="{escape(_number(value))}">'
                f"<title>{escape(key)}, {escape(columns[i])}: {escape(_number(value))}</title></circle>")
    parts.append("</g>")
    return "".join(parts)


def _segments(values: list) -> list[list[tuple[int, float]]]:
    segments, current = [], []
    for index, value in enumerate(values):
        if isinstance(value, (int, float)):
            current.append((index, value))
        elif current:
            segments.append(current)
            current = []
    return [*segments, current] if current else segments


def _events(events: list[dict], count: int, bottom: float, x) -> list[str]:
    """Faults that happened between the same two samples share one line."""
    labels_at: dict[int, list[str]] = {}
    for event in events:
        at = min(max(int(event["at"]), 0), count)
        labels_at.setdefault(at, []).append(str(event["label"]))
    parts = []
    for at, labels in sorted(labels_at.items()):
        where = x(min(max(at - 0.5, 0), count - 1))
        text = ", ".join(labels)
        parts.append(
            f'<g class="fault" data-at="{at}" data-label="{escape(text)}"><title>{escape(text)}</title>'
            f'<line x1="{where}" y1="{_TOP - 6}" x2="{where}" y2="{bottom}"/>'
            f'<text x="{where}" y="{_TOP - 9}" transform="rotate(-25 {where} {_TOP - 9})">'
            f"{escape(_short(text, 30))}</text></g>")
    return parts


def _column_labels(columns: list[str], bottom: float, x) -> list[str]:
    parts = []
    for index, label in enumerate(columns):
        y = bottom + 12
        parts.append(
            f'<text x="{x(index)}" y="{y}" text-anchor="end" transform="rotate(-40 {x(index)} {y})">'
            f"<title>{escape(label)}</title>{escape(_short(label, 22))}</text>")
    return parts


def _legend(hosts: list[str], top: float) -> list[str]:
    parts = []
    for index, host in enumerate(hosts):
        left, y = _LEFT + 150 * (index % 3), top + 18 * (index // 3)
        colour, dash = _COLOURS[index % len(_COLOURS)], _DASHES[index % len(_DASHES)]
        parts.append(
            f'<line x1="{left}" y1="{y}" x2="{left + 24}" y2="{y}" stroke="{colour}" stroke-width="2" '
            f'stroke-dasharray="{dash}"/><text x="{left + 30}" y="{y + 4}">{escape(host)}</text>')
    return parts


def _number(value) -> str:
    return f"{value:g}" if isinstance(value, float) else str(value)


def _short(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"
