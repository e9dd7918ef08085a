"""Static files: collect only the built files the pages load from the npm packages.

The npm packages ship source maps, RTL, ESM and unminified builds (~75 MB); compressing all of
them made `collectstatic` the slowest step of `make demo`.
"""
from django.contrib.staticfiles.apps import StaticFilesConfig


class VendorAwareStaticFilesConfig(StaticFilesConfig):
    ignore_patterns = [
        *StaticFilesConfig.ignore_patterns,
        "*.map", "*.rtl.*", "*.esm.*", "*.mjs", "*.d.ts", "package.json",
        "echarts.js", "echarts.common*", "echarts.simple*", "extension",  # echarts: only echarts.min.js
        "tabler.js", "tabler.css", "tabler-*", "libs", "types", "img",  # tabler: only tabler.min.{css,js}
        "htmx.js", "htmx.amd.js", "htmx.cjs.js", "ext", "sse.js",  # htmx and its SSE extension: only the .min.js
    ]
