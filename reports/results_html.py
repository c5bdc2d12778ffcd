"""Render executed behave features (model objects with results) as HTML.

The model is read only after behave has finished a feature, so statuses,
durations, skip reasons and whatever the hooks attached to a scenario
(``scenario.request_counts``) are final.
"""

import os
from collections import Counter

from behave.model import Rule, Scenario, ScenarioOutline
from behave.model_type import Status

from reports import request_counts
from reports.attachments import render_attachment
from reports.html_kit import (
    anchor_id, badge, description_block, docstring_block, escape,
    format_duration, gherkin_table, plural, tag_badges,
)
from reports.problems import problem_of, render_problem
from reports.statuses import SCENARIO_BUCKETS, bucket, scenario_bucket


class ResultRenderer:
    """Turns features into HTML fragments.

    :param attachments_for: callable(model element) -> list of
        (mime_type, data) pairs attached while that element ran.
    :param show_skipped: False (behave --no-skipped) leaves skipped
        scenarios out of the page, as behave's own formatters do.
    """

    def __init__(self, attachments_for, show_skipped=True):
        self.attachments_for = attachments_for
        self.show_skipped = show_skipped

    def shown(self, scenario):
        return self.show_skipped or scenario.status is not Status.skipped

    def shown_scenarios(self, container):
        return [s for s in container.walk_scenarios() if self.shown(s)]

    # -- whole features ------------------------------------------------------
    def feature(self, feature, feature_number):
        scenario_ids = self._scenario_ids(feature, feature_number)
        parts = [
            f'<section class="feature" id="{anchor_id("feature", feature_number)}">',
            f'<h2><span class="keyword">{escape(feature.keyword)}:</span> '
            f"{escape(feature.name)} {_status_badge(feature)}"
            f'<span class="duration">{format_duration(feature.duration)}</span></h2>',
            f'<div class="location">{escape(_where(feature.location))}</div>',
            tag_badges(feature.tags),
            description_block(feature.description),
            _skip_reason(feature),
            render_problem(problem_of(feature)),
            self._attachments(feature),
        ]
        parts.extend(self._run_items(feature.run_items, scenario_ids))
        parts.append("</section>")
        return "\n".join(part for part in parts if part)

    def _run_items(self, run_items, scenario_ids):
        for run_item in run_items:
            if isinstance(run_item, Rule):
                yield self._rule(run_item, scenario_ids)
            elif isinstance(run_item, ScenarioOutline):
                # Each Examples row ran as a scenario of its own.
                for scenario in run_item.scenarios:
                    if self.shown(scenario):
                        yield self.scenario(scenario, scenario_ids[id(scenario)])
            elif self.shown(run_item):
                yield self.scenario(run_item, scenario_ids[id(run_item)])

    def _rule(self, rule, scenario_ids):
        parts = [
            '<section class="rule">',
            f'<h3><span class="keyword">{escape(rule.keyword)}:</span> {escape(rule.name)}</h3>',
            tag_badges(rule.tags),
            description_block(rule.description),
            _skip_reason(rule),
            render_problem(problem_of(rule)),
        ]
        parts.extend(self._run_items(rule.run_items, scenario_ids))
        parts.append("</section>")
        return "\n".join(part for part in parts if part)

    # -- scenarios and steps -------------------------------------------------
    def scenario(self, scenario, element_id):
        status = scenario_bucket(scenario.status)
        steps = [self.step(step, background=True) for step in scenario.background_steps]
        steps += [self.step(step) for step in scenario.steps]
        parts = [
            f'<section class="scenario {status}" id="{escape(element_id)}">',
            f'<div class="header">{_status_badge(scenario)} '
            f'<h3><span class="keyword">{escape(scenario.keyword)}:</span> {escape(scenario.name)}</h3>'
            f'<span class="duration">{format_duration(scenario.duration)}</span> '
            f'<span class="location">{escape(_where(scenario.location))}</span></div>',
            tag_badges(scenario.tags),
            _skip_reason(scenario),
            _scenario_level_problem(scenario),
            f'<ol class="steps">{"".join(steps)}</ol>' if steps else "",
            self._attachments(scenario),
            request_counts.render_request_counts(getattr(scenario, "request_counts", None)),
            "</section>",
        ]
        return "\n".join(part for part in parts if part)

    def step(self, step, background=False):
        status = bucket(step.status)
        css = f"step {status}" + (" background" if background else "")
        ran = step.status not in (Status.untested, Status.skipped)
        duration = f'<span class="duration">{format_duration(step.duration)}</span>' if ran else ""
        problem = problem_of(step) if step.status.has_failed() or status == "undefined" else None
        return (
            f'<li class="{css}"><div class="step-line">'
            f'<span class="keyword">{escape(step.keyword)}</span> {escape(step.name)}'
            f"{badge(step.status.name, status)}{duration}</div>"
            f"{gherkin_table(step.table)}{docstring_block(step.text)}"
            f"{render_problem(problem)}{self._attachments(step)}</li>"
        )

    def _attachments(self, element):
        return "".join(
            render_attachment(mime_type, data)
            for mime_type, data in self.attachments_for(element)
        )

    # -- the head of the page -----------------------------------------------
    def summary(self, features, title):
        counts = Counter()
        steps = 0
        for feature in features:
            for scenario in self.shown_scenarios(feature):
                counts[scenario_bucket(scenario.status)] += 1
                steps += sum(1 for _ in scenario.all_steps)
        # "0 failed" is always shown (its absence would be ambiguous), but in
        # grey: a red badge on a green run reads as a failure at a glance.
        count_badges = " ".join(
            badge(f"{counts[name]} {name}", name if counts[name] else "none")
            for name in SCENARIO_BUCKETS if counts[name] or name in ("passed", "failed")
        )
        total_time = sum(feature.duration for feature in features)
        totals = (
            f"{plural(len(features), 'feature')}, {plural(sum(counts.values()), 'scenario')}, "
            f"{plural(steps, 'step')}, total time {format_duration(total_time)}"
        )
        return (
            f"<header><h1>{escape(title)}</h1></header>\n"
            '<section class="summary">'
            f'<div class="counts">{count_badges}</div>'
            f'<div class="muted">{escape(totals)}</div>'
            f"{self._table_of_contents(features)}</section>"
        )

    def _table_of_contents(self, features):
        items = []
        for number, feature in enumerate(features, start=1):
            ids = self._scenario_ids(feature, number)
            links = "".join(
                f'<li>{_status_badge(s)} '
                f'<a href="#{escape(ids[id(s)])}">{escape(s.name)}</a></li>'
                for s in self.shown_scenarios(feature)
            )
            items.append(
                f'<li><a href="#{anchor_id("feature", number)}">{escape(feature.name)}</a>'
                f'<ol class="toc">{links}</ol></li>'
            )
        return f'<ol class="toc">{"".join(items)}</ol>'

    def _scenario_ids(self, feature, feature_number):
        """Anchor ids by object identity: Step/Scenario compare by value."""
        return {
            id(scenario): anchor_id("feature", feature_number, "scenario", number)
            for number, scenario in enumerate(self.shown_scenarios(feature), start=1)
        }


def _where(location):
    """``features/x.feature:12``; absolute when the features lie outside the
    working directory (behave would write ``../../work/...``)."""
    filename = str(location.filename)
    if filename.startswith(".."):
        filename = os.path.abspath(filename)
    return f"{filename}:{location.line}"


def _status_badge(element):
    status = scenario_bucket(element.status)
    return badge(status, status)


def _skip_reason(element):
    reason = getattr(element, "skip_reason", None)
    if element.status is not Status.skipped or not reason:
        return ""
    return f'<div class="skip-reason">skipped: {escape(reason)}</div>'


def _scenario_level_problem(scenario):
    """A hook failure belongs to the scenario, not to one of its steps."""
    if not isinstance(scenario, Scenario) or not scenario.hook_failed:
        return ""
    return render_problem(problem_of(scenario))
