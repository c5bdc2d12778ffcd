"""The stylesheet both HTML pages inline.

It lives in Python rather than in a .css file so that it ships with the
package without any package-data configuration, and the pages stay single
self-contained files (no external URL, no JavaScript).
"""

STATUS_COLOURS = {
    # bucket: (badge text, badge background, scenario border)
    "passed": ("#14532d", "#dcfce7", "#22c55e"),
    "failed": ("#7f1d1d", "#fee2e2", "#ef4444"),
    "error": ("#ffffff", "#b91c1c", "#b91c1c"),
    "skipped": ("#1e3a8a", "#e0e7ff", "#6366f1"),
    "untested": ("#374151", "#e5e7eb", "#9ca3af"),
    "undefined": ("#713f12", "#fef3c7", "#f59e0b"),
    "none": ("#6b7280", "#f3f4f6", "#d1d5db"),  # a count of zero
}


def _status_rules():
    rules = []
    for bucket, (text, background, border) in STATUS_COLOURS.items():
        rules.append(
            f".badge.{bucket} {{ color: {text}; background: {background}; }}\n"
            f".scenario.{bucket} {{ border-left-color: {border}; }}"
        )
    return "\n".join(rules)


CSS = """
:root { color-scheme: light; }
body {
  font: 14px/1.45 "DejaVu Sans", "Liberation Sans", Arial, sans-serif;
  color: #111827; background: #f9fafb; margin: 0; padding: 24px 32px;
}
h1 { font-size: 22px; margin: 0 0 4px; }
h2 { font-size: 18px; margin: 28px 0 6px; border-bottom: 1px solid #d1d5db; padding-bottom: 4px; }
h3 { font-size: 15px; margin: 0; display: inline; }
h4 { font-size: 14px; margin: 14px 0 4px; }
a { color: #1d4ed8; text-decoration: none; }
a:hover { text-decoration: underline; }
.muted, .location, .duration { color: #6b7280; font-size: 12px; }
.duration { font-variant-numeric: tabular-nums; margin-left: 6px; }
.description { white-space: pre-wrap; margin: 4px 0 10px; color: #374151; }
.badge {
  display: inline-block; border-radius: 4px; padding: 0 6px; font-size: 12px;
  font-weight: 600; text-transform: uppercase; letter-spacing: .02em;
  vertical-align: 1px;
}
.tag {
  display: inline-block; border-radius: 10px; padding: 0 8px; margin: 0 4px 0 0;
  font-size: 12px; background: #ede9fe; color: #4c1d95;
  font-family: "DejaVu Sans Mono", monospace;
}
.summary {
  background: #ffffff; border: 1px solid #e5e7eb; border-radius: 6px;
  padding: 12px 16px; margin: 12px 0 20px;
}
.summary .counts .badge { font-size: 13px; padding: 2px 8px; margin-right: 6px; }
.toc { margin: 8px 0 0; padding-left: 20px; }
.toc li { margin: 1px 0; }
.feature { margin-bottom: 26px; }
.scenario, .rule {
  background: #ffffff; border: 1px solid #e5e7eb; border-left: 4px solid #e5e7eb;
  border-radius: 6px; padding: 10px 14px; margin: 10px 0;
}
.rule { border-left-color: #a78bfa; }
.scenario .header { margin-bottom: 4px; }
.keyword { font-weight: 700; color: #374151; }
ol.steps { list-style: none; padding: 0; margin: 8px 0 0; }
ol.steps > li { padding: 3px 0 3px 8px; border-left: 2px solid transparent; }
ol.steps > li.background { border-left-color: #d1d5db; }
.step-line .badge { margin-left: 6px; }
pre {
  font: 12px/1.4 "DejaVu Sans Mono", "Liberation Mono", monospace;
  background: #f3f4f6; border: 1px solid #e5e7eb; border-radius: 4px;
  padding: 6px 8px; margin: 4px 0 4px 16px; white-space: pre-wrap;
  overflow-wrap: anywhere;
}
pre.failure { background: #fef2f2; border-color: #fecaca; color: #7f1d1d; }
pre.error { background: #fff7ed; border-color: #fed7aa; color: #7c2d12; }
details { margin: 4px 0 4px 16px; }
details > summary { cursor: pointer; color: #374151; }
table { border-collapse: collapse; margin: 4px 0 6px 16px; font-size: 12px; }
th, td { border: 1px solid #d1d5db; padding: 2px 8px; text-align: left; }
th { background: #f3f4f6; }
td.number { text-align: right; font-variant-numeric: tabular-nums; }
td.changed { background: #fde68a; font-weight: 700; }
tr.total td { font-weight: 700; background: #f9fafb; }
.attachment { margin: 6px 0 6px 16px; }
.attachment .title { font-weight: 600; font-size: 12px; color: #374151; }
.attachment table, .attachment pre { margin-left: 0; }
.note { font-style: italic; color: #6b7280; font-size: 12px; }
.skip-reason { margin: 4px 0; color: #1e3a8a; }
.requests { margin-top: 8px; }
.examples h4 { margin-left: 16px; }
.scenario.error, .scenario.failed { border-left-width: 6px; }
.scenario.background { background: #f3f4f6; }
.placeholder { color: #9d174d; font-family: "DejaVu Sans Mono", monospace; font-size: 12px; }
""" + _status_rules()
