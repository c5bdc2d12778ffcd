"""The scenario's usage chart (inline SVG) in the HTML report: it is in the
scenario's section, its points are the usages table's values, and the fault
steps are marked between the samples they fell between."""

import re
from html.parser import HTMLParser

from reports.usage_chart_svg import usage_chart_svg
from tests.reports.html_sections import scenarios, table_rows

PASSING = "Allocations are released after a local delete"


class _SvgReader(HTMLParser):
    def __init__(self):
        super().__init__()
        self.points, self.faults, self.tags = {}, [], set()

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        self.tags.add(tag)
        if tag == "circle" and "data-row" in attrs:
            self.points[(attrs["data-row"], int(attrs["data-column"]))] = (attrs["data-value"], float(attrs["cx"]))
        if tag == "g" and attrs.get("class") == "fault":
            self.faults.append((int(attrs["data-at"]), attrs["data-label"]))


def read_svg(svg):
    reader = _SvgReader()
    reader.feed(svg)
    return reader


def the_svg(section):
    found = re.findall(r'<svg class="usage-timeline".*?</svg>', section, re.S)
    assert len(found) == 1, f"expected one chart in the scenario's section, found {len(found)}"
    return found[0]


def test_the_chart_is_in_the_scenario_section_and_its_points_are_the_table_values(behave_run):
    _, section = scenarios(behave_run.html)[PASSING]
    table = table_rows(re.search(r'<table class="usages">.*?</table>', section, re.S)[0])
    svg = read_svg(the_svg(section))
    from_table = {(row[0][2], column): cell[2] for row in table[1:] for column, cell in enumerate(row[1:])}
    assert {key: value for key, (value, _) in svg.points.items()} == from_table
    assert "script" not in svg.tags and "image" not in svg.tags


def test_the_fault_step_is_marked_between_the_samples_it_fell_between(behave_run):
    _, section = scenarios(behave_run.html)[PASSING]
    svg = read_svg(the_svg(section))
    assert svg.faults == [(1, "compute1 stop, force down")]
    line = re.search(r'<g class="fault"[^>]*>.*?<line x1="([\d.]+)"', the_svg(section), re.S)
    before, after = svg.points[("compute1 VCPU", 0)][1], svg.points[("compute1 VCPU", 1)][1]
    assert before < float(line[1]) < after


def test_only_scenarios_with_usages_get_a_chart(behave_run):
    charts = {name: "usage-timeline" in body for name, (_, body) in scenarios(behave_run.html).items()}
    assert [name for name, has in charts.items() if has] == [PASSING]


def test_a_host_missing_from_a_sample_has_no_point_there_and_one_panel_per_class():
    rows = {"c1 VCPU": [0, 1, None, 0], "c1 DISK_GB": [0, 1, 1, 0], "c2 VCPU": [None, 2, 2, 2]}
    svg = usage_chart_svg(["a", "b", "c", "d"], rows, [{"at": 0, "label": "cut path"}, {"at": 9, "label": "x"}])
    points = read_svg(svg).points
    assert sorted(points) == sorted((row, i) for row, values in rows.items()
                                    for i, v in enumerate(values) if v is not None)
    assert re.findall(r'data-class="(\w+)"', svg) == ["VCPU", "DISK_GB"]
    # Events before the first or after the last sample stay on the chart.
    assert read_svg(svg).faults == [(0, "cut path"), (4, "x")]


def test_no_samples_no_chart():
    assert usage_chart_svg([], {}, []) == ""
