"""Render the feature files as one readable page for reviewers.

Usage::

    python -m reports.living_spec [features_dir] -o spec.html

Only behave's parser is used: no steps are imported, nothing runs, no
cloud is needed. Bad input (a missing directory, a Gherkin syntax error)
gives one line on stderr and exit code 2; the output file is written to a
temporary file first, so a failed run never leaves a half-written page.
"""

import argparse
import os
import re
import sys
import tempfile
from pathlib import Path

from behave.model import Rule, ScenarioOutline
from behave.parser import ParserError, parse_file

from reports.html_kit import (
    anchor_id, description_block, docstring_block, escape, gherkin_table,
    page, plural, tag_badges,
)

EXIT_BAD_INPUT = 2
TITLE = "Living specification"


class BadInput(Exception):
    """Something the user must fix; str() is the one line to show."""


# -- reading ------------------------------------------------------------------
def feature_files(features_dir):
    directory = Path(features_dir)
    if not directory.is_dir():
        raise BadInput(
            f"{features_dir}: no such directory; pass the directory that "
            "holds the .feature files (default: features)")
    files = sorted(directory.rglob("*.feature"))
    if not files:
        raise BadInput(f"{features_dir}: no .feature files found; pass the "
                       "directory that holds them")
    return files


def parse_features(paths):
    features = []
    for path in paths:
        try:
            feature = parse_file(str(path))
        except ParserError as error:
            raise BadInput(_parser_error_line(path, error)) from None
        except (OSError, UnicodeDecodeError) as error:
            raise BadInput(f"{path}: cannot be read ({error}); "
                           "save it as UTF-8 text") from None
        if feature is not None:     # an empty file parses to None
            features.append(feature)
    return features


def _parser_error_line(path, error):
    reason = " ".join(str(error.args[0]).split())        # one line only
    reason = re.sub(r" at line \d+", "", reason, count=1)
    line = f":{error.line}" if error.line else ""
    return f"{path}{line}: Gherkin syntax error: {reason}; fix that line and run again"


# -- rendering ----------------------------------------------------------------
def render(features, source):
    counts = _counts(features)
    summary = (
        f"{plural(counts['features'], 'feature')}, {plural(counts['scenarios'], 'scenario')}, "
        f"{plural(counts['outlines'], 'scenario outline')} with "
        f"{plural(counts['examples'], 'example')} — from {source}"
    )
    body = [
        f"<header><h1>{escape(TITLE)}</h1></header>",
        f'<section class="summary"><div class="muted">{escape(summary)}</div>'
        f"{_table_of_contents(features)}</section>",
    ]
    body += [_feature(feature, number) for number, feature in enumerate(features, 1)]
    return page(TITLE, "\n".join(body))


def _counts(features):
    counts = {"features": len(features), "scenarios": 0, "outlines": 0, "examples": 0}
    for feature in features:
        for item in feature.walk_scenarios(with_outlines=True):
            if isinstance(item, ScenarioOutline):
                counts["outlines"] += 1
                counts["examples"] += sum(len(ex.table.rows) for ex in item.examples if ex.table)
            elif not _is_outline_row(item):
                counts["scenarios"] += 1
    return counts


def _is_outline_row(scenario):
    return isinstance(getattr(scenario, "parent", None), ScenarioOutline)


def _top_level_items(container):
    """Rules, Scenarios and Scenario Outlines, not the outline rows."""
    for item in container.run_items:
        if isinstance(item, Rule):
            yield item
            yield from _top_level_items(item)
        else:
            yield item


def _table_of_contents(features):
    entries = []
    for number, feature in enumerate(features, 1):
        links = "".join(
            f'<li><a href="#{_item_id(number, index)}">'
            f"{escape(item.keyword)}: {escape(item.name)}</a></li>"
            for index, item in enumerate(_top_level_items(feature), 1)
        )
        entries.append(
            f'<li><a href="#{anchor_id("feature", number)}">{escape(feature.name)}</a>'
            f'<ol class="toc">{links}</ol></li>'
        )
    return f'<ol class="toc">{"".join(entries)}</ol>'


def _item_id(feature_number, item_number):
    return anchor_id("feature", feature_number, "item", item_number)


def _feature(feature, number):
    ids = {id(item): _item_id(number, index)
           for index, item in enumerate(_top_level_items(feature), 1)}
    location = f'<div class="location">{escape(feature.location)}</div>'
    return _section(feature, "feature", anchor_id("feature", number), "h2", ids, location)


def _item(item, ids):
    if isinstance(item, Rule):
        return _section(item, "rule", ids[id(item)], "h3", ids)
    return _scenario(item, ids[id(item)])


def _section(node, kind, element_id, heading, ids, location=""):
    """A Feature or a Rule: its heading, tags, description, Background, then its items."""
    parts = [
        f'<section class="{kind}" id="{element_id}">',
        f'<{heading}><span class="keyword">{escape(node.keyword)}:</span> {escape(node.name)}</{heading}>',
        location,
        tag_badges(node.tags),
        description_block(node.description),
        _background(node.background),
    ]
    parts += [_item(item, ids) for item in node.run_items]
    parts.append("</section>")
    return "\n".join(part for part in parts if part)


def _background(background):
    # A Rule without a Background of its own inherits the Feature's one,
    # which is already shown above it.
    if background is None or not background.steps:
        return ""
    name = f" {escape(background.name)}" if background.name else ""
    return (
        '<section class="scenario background">'
        f'<h3><span class="keyword">{escape(background.keyword)}:</span>{name}</h3>'
        f"{_steps(background.steps)}</section>"
    )


def _scenario(scenario, element_id):
    outline = isinstance(scenario, ScenarioOutline)
    parts = [
        f'<section class="scenario" id="{element_id}">',
        f'<h3><span class="keyword">{escape(scenario.keyword)}:</span> {escape(scenario.name)}</h3>',
        tag_badges(scenario.tags),
        description_block(scenario.description),
        _steps(scenario.steps, placeholders=outline),
    ]
    if outline:
        parts += [_examples(examples) for examples in scenario.examples]
    parts.append("</section>")
    return "\n".join(part for part in parts if part)


def _examples(examples):
    name = f" {escape(examples.name)}" if examples.name else ""
    return (
        '<div class="examples">'
        f'<h4><span class="keyword">{escape(examples.keyword)}:</span>{name}</h4>'
        f"{tag_badges(examples.tags)}{gherkin_table(examples.table)}</div>"
    )


def _steps(steps, placeholders=False):
    items = []
    for step in steps:
        text = escape(step.name)
        if placeholders:
            text = re.sub(r"&lt;([^&<>]+)&gt;", r'<span class="placeholder">&lt;\1&gt;</span>', text)
        items.append(
            f'<li><div class="step-line"><span class="keyword">{escape(step.keyword)}</span> {text}</div>'
            f"{gherkin_table(step.table)}{docstring_block(step.text)}</li>"
        )
    return f'<ol class="steps">{"".join(items)}</ol>'


# -- writing ------------------------------------------------------------------
def write_atomically(path, text):
    directory = os.path.dirname(os.path.abspath(path))
    if not os.path.isdir(directory):
        raise BadInput(f"{path}: its directory does not exist; create it or "
                       "choose another -o path")
    handle, temporary = tempfile.mkstemp(prefix=".living-spec-", suffix=".html", dir=directory)
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as stream:
            stream.write(text)
        os.chmod(temporary, 0o644)      # mkstemp files are private (0600)
        os.replace(temporary, path)
    except BaseException:
        os.unlink(temporary)
        raise


def main(argv=None, default_features_dir="features", prog="python -m reports.living_spec"):
    parser = argparse.ArgumentParser(
        prog=prog,
        description="Render the .feature files as one HTML page (nothing is executed).")
    parser.add_argument("features_dir", nargs="?", default=str(default_features_dir),
                        help=f"directory holding the .feature files (default: {default_features_dir})")
    parser.add_argument("-o", "--output", default="spec.html",
                        help="HTML file to write (default: spec.html)")
    args = parser.parse_args(argv)
    try:
        features = parse_features(feature_files(args.features_dir))
        write_atomically(args.output, render(features, args.features_dir))
    except BadInput as problem:
        print(f"living_spec: {problem}", file=sys.stderr)
        return EXIT_BAD_INPUT
    print(f"living_spec: wrote {args.output} ({len(features)} features)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
