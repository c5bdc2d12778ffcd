"""Small HTML building blocks shared by the run report and the living spec.

Everything that reaches the page from a feature file, a step or an
exception goes through :func:`escape`; the helpers here only ever
concatenate already escaped fragments.
"""

import html
import re

from reports.page_style import CSS


def escape(value):
    """Escape any value (None becomes empty) for text and attribute use."""
    if value is None:
        return ""
    return html.escape(str(value), quote=True)


def anchor_id(prefix, *parts):
    """A stable, HTML-safe id such as ``feature-2-scenario-5``."""
    text = "-".join(str(part) for part in (prefix,) + parts)
    return re.sub(r"[^A-Za-z0-9_-]+", "-", text)


def badge(text, css_class):
    return f'<span class="badge {escape(css_class)}">{escape(text)}</span>'


def tag_badges(tags):
    if not tags:
        return ""
    badges = "".join(f'<span class="tag">@{escape(tag)}</span>' for tag in tags)
    return f'<div class="tags">{badges}</div>'


def description_block(lines):
    """A feature/scenario description: the free text under its title."""
    text = "\n".join(lines or []).strip()
    if not text:
        return ""
    return f'<div class="description">{escape(text)}</div>'


def docstring_block(text):
    """A step's docstring (multi-line text), kept verbatim."""
    if text is None:
        return ""
    content_type = getattr(text, "content_type", None)
    title = ""
    if content_type and content_type != "text/plain":
        title = f' title="{escape(content_type)}"'
    return f'<pre class="docstring"{title}>{escape(text)}</pre>'


def gherkin_table(table, css_class="gherkin"):
    """A behave ``Table`` (step table or Examples table) as an HTML table."""
    if table is None:
        return ""
    head = "".join(f"<th>{escape(heading)}</th>" for heading in table.headings)
    body = "".join(
        "<tr>" + "".join(f"<td>{escape(cell)}</td>" for cell in row.cells) + "</tr>"
        for row in table.rows
    )
    return (
        f'<table class="{escape(css_class)}"><thead><tr>{head}</tr></thead>'
        f"<tbody>{body}</tbody></table>"
    )


def plural(count, noun):
    """``1 feature``, ``2 features``."""
    return f"{count} {noun}" + ("" if count == 1 else "s")


def format_duration(seconds):
    """Human-friendly duration: ``0.012s``, ``12.3s``, ``2m 05.0s``."""
    seconds = float(seconds or 0)
    if seconds < 10:
        return f"{seconds:.3f}s"
    if seconds < 60:
        return f"{seconds:.1f}s"
    minutes, rest = divmod(seconds, 60)
    return f"{int(minutes)}m {rest:04.1f}s"


def page(title, body):
    """A complete, self-contained HTML document."""
    return (
        "<!DOCTYPE html>\n"
        '<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{escape(title)}</title>\n"
        f"<style>{CSS}</style>\n"
        f"</head>\n<body>\n{body}\n</body>\n</html>\n"
    )
