"""Render what steps hand to ``context.attach(mime_type, data)``.

behave's ``Context.attach`` calls ``embedding(mime_type, data)`` on every
formatter that has that method; the HTML formatter stores the pair and
this module turns it into HTML once the report is written.
"""

import json

from reports.html_kit import escape
from reports.usage_chart_svg import usage_chart_svg

#: Placement resource usages sampled at several moments of a scenario.
PLACEMENT_USAGES = "application/vnd.placement-usages+json"
#: The same samples for a whole scenario, with its fault steps: a chart.
USAGE_TIMELINE = "application/vnd.placement-usage-timeline+json"
TEXT_PLAIN = "text/plain"


def as_bytes(data):
    """behave documents ``data`` as bytes; steps sometimes pass a str."""
    if isinstance(data, str):
        return data.encode("utf-8")
    return bytes(data)


def render_attachment(mime_type, data):
    payload = as_bytes(data)
    renderer = _RENDERERS.get(_base_type(mime_type), _render_note)
    try:
        return renderer(mime_type, payload)
    except (ValueError, TypeError, KeyError, AttributeError) as problem:
        # A malformed attachment must not cost us the whole report.
        return _render_note(mime_type, payload, problem=problem)


def _base_type(mime_type):
    """``text/plain; charset=utf-8`` -> ``text/plain``."""
    return (mime_type or "").split(";", 1)[0].strip().lower()


def _render_note(mime_type, payload, problem=None):
    note = f"attachment {escape(mime_type)} ({len(payload)} bytes)"
    if problem is not None:
        note += f": could not be rendered ({escape(problem)})"
    return f'<div class="attachment"><span class="note">{note}</span></div>'


def _render_text(mime_type, payload):
    text = payload.decode("utf-8", errors="replace")
    return f'<div class="attachment"><pre>{escape(text)}</pre></div>'


def _render_placement_usages(mime_type, payload):
    usages = json.loads(payload.decode("utf-8"))
    columns = [str(column) for column in usages["columns"]]
    rows = usages["rows"]
    if not isinstance(rows, dict):
        raise TypeError("'rows' must map a resource name to its values")

    head = "<th>resource</th>" + "".join(f"<th>{escape(c)}</th>" for c in columns)
    references = _baseline_columns(columns)
    body = "".join(_usage_row(name, values, references) for name, values in rows.items())
    title = usages.get("title")
    title_html = f'<div class="title">{escape(title)}</div>' if title else ""
    return (
        f'<div class="attachment usages">{title_html}'
        f'<table class="usages"><thead><tr>{head}</tr></thead>'
        f"<tbody>{body}</tbody></table></div>"
    )


def _render_usage_timeline(mime_type, payload):
    usages = json.loads(payload.decode("utf-8"))
    rows = usages["rows"]
    if not isinstance(rows, dict):
        raise TypeError("'rows' must map a resource name to its values")
    svg = usage_chart_svg([str(c) for c in usages["columns"]], rows, usages.get("events") or [])
    if not svg:
        return ""
    title = usages.get("title")
    title_html = f'<div class="title">{escape(title)}</div>' if title else ""
    return f'<div class="attachment timeline">{title_html}{svg}</div>'


def _baseline_columns(columns):
    """For each column, the index of the baseline it is compared with: the
    latest column up to it labelled "... baseline" (a scenario may record a
    new baseline after setting up a bystander), else the first column."""
    references, latest = [], 0
    for index, column in enumerate(columns):
        if column.strip().lower().endswith("baseline"):
            latest = index
        references.append(latest)
    return references


def _usage_row(name, values, references):
    """One resource's row; a value that moved away from its baseline is
    highlighted, because a leak shows up exactly there."""
    if not isinstance(values, list):
        raise TypeError(f"values of {name!r} must be a list")
    cells = []
    for index, value in enumerate(values):
        reference = references[index] if index < len(references) else 0
        changed = index != reference and value != values[reference]
        css = "number changed" if changed else "number"
        cells.append(f'<td class="{css}">{escape(_show(value))}</td>')
    return f"<tr><th>{escape(name)}</th>{''.join(cells)}</tr>"


def _show(value):
    return "—" if value is None else value


_RENDERERS = {
    PLACEMENT_USAGES: _render_placement_usages,
    USAGE_TIMELINE: _render_usage_timeline,
    TEXT_PLAIN: _render_text,
}
