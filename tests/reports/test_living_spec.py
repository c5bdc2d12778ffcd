"""python -m reports.living_spec on the sample features and on bad input."""

import re

import pytest

from tests.reports.conftest import run_python
from tests.reports.html_sections import table_rows, text_of
from tests.reports.sample_project import write_sample_project

BROKEN_FEATURE = """\
Feature: Broken
  Scenario: Examples where they do not belong
    Given a cloud
    Examples:
      | a |
"""


@pytest.fixture
def project(tmp_path):
    write_sample_project(tmp_path)
    return tmp_path


def living_spec(project, *args):
    return run_python(["-m", "reports.living_spec", *args], cwd=project)


def test_renders_the_sample_features(project):
    result = living_spec(project, "features", "-o", "spec.html")

    assert result.returncode == 0, result.stderr
    page = (project / "spec.html").read_text(encoding="utf-8")
    text = text_of(page)
    assert "Feature: Deleting a server while its compute host is down" in text
    assert "Nova must hand back to Placement everything the server held" in text
    assert re.search(r"Background:.*Given a cloud with 2 compute hosts", text, re.S)
    assert '<span class="tag">@bug</span>' in page
    assert '<span class="tag">@needs_ironic</span>' in page
    assert '<span class="placeholder">&lt;flavor&gt;</span>' in page
    assert "a &lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; note" in page
    assert "<script" not in page and "http" not in page


def test_examples_are_tables(project):
    living_spec(project, "features", "-o", "spec.html")
    page = (project / "spec.html").read_text(encoding="utf-8")
    examples = re.search(r'<div class="examples">(.*?)</div>', page, re.S)[1]
    assert "Examples: flavors" in text_of(examples)
    assert [[text for _, _, text in row] for row in table_rows(examples)] == [
        ["flavor", "vcpus"], ["m1.tiny", "1"], ["m1.small", "1"]]


def test_table_of_contents_links_every_scenario(project):
    living_spec(project, "features", "-o", "spec.html")
    page = (project / "spec.html").read_text(encoding="utf-8")
    toc = page.split('<section class="summary">', 1)[1].split("</section>", 1)[0]
    targets = re.findall(r'href="#([^"]+)"', toc)
    assert len(targets) == 1 + 6          # the feature, 5 scenarios, 1 outline
    for target in targets:
        assert f'id="{target}"' in page
    assert "1 feature, 5 scenarios, 1 scenario outline with 2 examples" in text_of(toc)


def test_defaults_to_features_dir_and_spec_html(project):
    result = living_spec(project)
    assert result.returncode == 0, result.stderr
    assert (project / "spec.html").exists()


def test_syntax_error_names_file_and_line_and_writes_nothing(project):
    (project / "features" / "zz_broken.feature").write_text(BROKEN_FEATURE)

    result = living_spec(project, "features", "-o", "spec.html")

    assert result.returncode == 2
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("living_spec: features/zz_broken.feature:4: ")
    assert "Examples" in lines[0] and "fix that line" in lines[0]
    assert "Traceback" not in result.stderr
    assert sorted(p.name for p in project.iterdir()) == ["features"]   # no file, no temp file


def test_failed_run_keeps_the_previous_page(project):
    living_spec(project, "features", "-o", "spec.html")
    before = (project / "spec.html").read_bytes()
    (project / "features" / "zz_broken.feature").write_text(BROKEN_FEATURE)

    assert living_spec(project, "features", "-o", "spec.html").returncode == 2
    assert (project / "spec.html").read_bytes() == before


def test_missing_directory_is_one_line_and_exit_2(tmp_path):
    result = living_spec(tmp_path, "no_such_dir", "-o", "spec.html")

    assert result.returncode == 2
    assert result.stderr.count("\n") == 1
    assert result.stderr.startswith("living_spec: no_such_dir: no such directory")
    assert not (tmp_path / "spec.html").exists()


def test_missing_output_directory_is_one_line_and_exit_2(project):
    result = living_spec(project, "features", "-o", "nowhere/spec.html")

    assert result.returncode == 2
    assert result.stderr.count("\n") == 1
    assert "nowhere/spec.html" in result.stderr


RULES_FEATURE = """\
Feature: Moving a server off a dead host
  Background:
    Given a cloud

  @evacuate
  Rule: An evacuated server holds its flavor on both hosts
    Until the source host cleans up.

    Background:
      Given the source host is down

    Scenario: Evacuated
      When the server is evacuated

  Rule: A shelved server holds nothing
    Scenario: Offloaded
      When the server is shelved
"""


def test_a_rule_is_a_section_of_its_feature_with_its_own_heading_tags_and_background(tmp_path):
    (tmp_path / "features").mkdir()
    (tmp_path / "features" / "compute.moves.feature").write_text(RULES_FEATURE)
    result = living_spec(tmp_path, "features", "-o", "spec.html")

    assert result.returncode == 0, result.stderr
    page = (tmp_path / "spec.html").read_text(encoding="utf-8")
    # Each rule's part of the page runs to the next rule's start.
    rule_ids = re.findall(r'<section class="rule" id="([^"]+)">', page)
    assert len(rule_ids) == 2 and all(i.startswith("feature-1-item-") for i in rule_ids), rule_ids
    _, first, second = (text_of(part) for part in re.split(r'<section class="rule" id="[^"]+">', page))
    assert "Rule: An evacuated server holds its flavor on both hosts" in first
    assert "@evacuate" in first and "Until the source host cleans up." in first
    assert re.search(r"Background:.*Given the source host is down.*Scenario: Evacuated", first, re.S)
    assert "Rule: A shelved server holds nothing" in second and "Background" not in second
