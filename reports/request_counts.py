"""API request accounting per scenario.

The suite's ``after_scenario`` hook may set ``scenario.request_counts``
to a list of ``{"method", "service", "status", "count"}`` dicts. This
module summarises that list for the HTML report and names it for JUnit
``<property>`` elements (``requests.GET.placement.200``).
"""

from collections import Counter

from reports.html_kit import escape


def merge(request_counts):
    """Sum counts per (service, method, status); ignores malformed rows."""
    totals = Counter()
    for entry in request_counts or ():
        try:
            key = (str(entry["service"]), str(entry["method"]).upper(),
                   str(entry["status"]))
            totals[key] += int(entry["count"])
        except (KeyError, TypeError, ValueError):
            continue
    return totals


def junit_properties(request_counts):
    """``[("requests.total", "12"), ("requests.GET.placement.200", "7"), ...]``"""
    totals = merge(request_counts)
    properties = [("requests.total", str(sum(totals.values())))]
    for (service, method, status), count in sorted(totals.items()):
        properties.append((f"requests.{method}.{service}.{status}", str(count)))
    return properties


def render_request_counts(request_counts):
    totals = merge(request_counts)
    if not totals:
        return ""
    rows = [
        f'<tr class="total"><td colspan="3">total requests</td>'
        f'<td class="number">{sum(totals.values())}</td></tr>'
    ]
    for (service, method, status), count in sorted(totals.items()):
        rows.append(
            f"<tr><td>{escape(service)}</td><td>{escape(method)}</td>"
            f'<td>{escape(status)}</td><td class="number">{count}</td></tr>'
        )
    return (
        '<div class="requests"><div class="muted">API requests</div>'
        '<table class="requests"><thead><tr><th>service</th><th>method</th>'
        "<th>status</th><th>count</th></tr></thead>"
        f"<tbody>{''.join(rows)}</tbody></table></div>"
    )
