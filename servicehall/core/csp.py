"""The Content-Security-Policy of every response: scripts only from our own origin, so text a user typed
can never run even if a template or a chart forgot to escape it (issue #11.1).

No inline `<script>` and no `on…=` handler anywhere: page scripts live under static/ and take their
data from `json_script` or `data-*` attributes (a test reads every template for it). Styles keep
'unsafe-inline': the templates and Tabler set `style` attributes, htmx adds its indicator style and
ECharts draws its tooltips with inline styles; a style cannot run script.
"""

POLICY = "; ".join([
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",  # Tabler's icons are data: SVGs; ECharts may export to blob:
    "font-src 'self' data:",
    "connect-src 'self'",  # fetch, htmx and the live streams go to our own origin only
    "media-src 'self' blob:",  # the board's announcement audio
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
])
HEADER = "Content-Security-Policy"


class ContentSecurityPolicyMiddleware:
    """Outermost, so every response carries the policy, static files and error pages included."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.setdefault(HEADER, POLICY)
        return response
