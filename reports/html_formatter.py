"""A behave formatter that writes one self-contained HTML report.

Usage::

    behave -f reports.html_formatter:HtmlReportFormatter -o out/report.html

Nothing is rendered while a scenario runs: behave calls ``eof()`` after
the feature's ``after_scenario``/``after_feature`` hooks, so by then each
scenario's status and whatever the hooks attached to it (for example
``scenario.request_counts``) are final. The page is written in
``close()`` because its summary needs every feature.
"""

from behave.formatter.base import Formatter

from reports.html_kit import page
from reports.results_html import ResultRenderer

DEFAULT_TITLE = "Acceptance test report"


class AttachmentLog:
    """Remembers which model element was running when a step attached data.

    behave's formatter protocol announces a scenario's steps up front
    (``step()``), then reports each executed one (``result()``); a
    ``context.attach()`` call between two results therefore belongs to the
    first step without a result yet. Anything attached before the first
    step or after the last one (hooks) belongs to the scenario.
    """

    def __init__(self):
        self._by_element = {}   # id(element) -> (element, [(mime, data)])
        self._owner = None      # feature or scenario currently running
        self._steps = []
        self._finished_steps = 0

    def enter(self, owner):
        self._owner = owner
        self._steps = []
        self._finished_steps = 0

    def announce_step(self, step):
        self._steps.append(step)

    def finish_step(self):
        self._finished_steps += 1

    def add(self, mime_type, data):
        if self._finished_steps < len(self._steps):
            element = self._steps[self._finished_steps]
        else:
            element = self._owner
        if element is None:
            return  # attached in before_all: there is nothing to show it under
        # Keyed by identity because Step objects compare equal by text.
        entry = self._by_element.setdefault(id(element), (element, []))
        entry[1].append((mime_type, data))

    def for_element(self, element):
        entry = self._by_element.get(id(element))
        return list(entry[1]) if entry else []


class HtmlReportFormatter(Formatter):
    """Per feature and scenario: status, tags, durations, steps with their
    tables/docstrings, failure text, attachments and API request counts."""

    name = "html-report"
    description = "Self-contained HTML report (summary, scenarios, attachments)."

    def __init__(self, stream_opener, config):
        if stream_opener.name and not stream_opener.stream:
            # The page declares <meta charset="utf-8">; behave would pick
            # the console's encoding for the file.
            stream_opener.encoding = "utf-8"
        super().__init__(stream_opener, config)
        self.attachments = AttachmentLog()
        self.renderer = ResultRenderer(
            self.attachments.for_element,
            show_skipped=getattr(config, "show_skipped", True))
        self.features = []
        self.rendered_features = []
        self._pending_feature = None
        userdata = getattr(config, "userdata", None) or {}
        self.title = userdata.get("html_report.title", DEFAULT_TITLE)

    # -- behave formatter protocol ------------------------------------------
    def feature(self, feature):
        self._render_pending_feature()   # in case eof() never came
        self._pending_feature = feature
        self.attachments.enter(feature)

    def scenario(self, scenario):
        self.attachments.enter(scenario)

    def step(self, step):
        self.attachments.announce_step(step)

    def result(self, step):
        self.attachments.finish_step()

    def embedding(self, mime_type, data):
        """Called by behave's ``Context.attach(mime_type, data)``."""
        self.attachments.add(mime_type, data)

    def eof(self):
        self._render_pending_feature()

    def close(self):
        self._render_pending_feature()
        body = self.renderer.summary(self.features, self.title) + "\n" + "\n".join(
            self.rendered_features)
        stream = self.open()
        stream.write(page(self.title, body))
        stream.flush()
        self.close_stream()

    # -- helpers --------------------------------------------------------------
    def _render_pending_feature(self):
        feature, self._pending_feature = self._pending_feature, None
        if feature is None:
            return
        self.features.append(feature)
        self.rendered_features.append(
            self.renderer.feature(feature, len(self.features)))
        self.attachments.enter(None)
