/* The evaluation report's charts (R-I4) from the data the page embeds with json_script.
 * Checklist items and template names are typed by people: every text that reaches a tooltip (ECharts
 * renders tooltips as HTML) is escaped here; axis labels are drawn on the canvas as plain text. */
(function () {
  "use strict";
  var ENTITIES = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };
  function esc(value) { return String(value == null ? "" : value).replace(/[&<>"']/g, function (c) { return ENTITIES[c]; }); }

  function draw() {
    var source = document.getElementById("report-chart");
    var scoresEl = document.getElementById("chart-scores"), failedEl = document.getElementById("chart-failed");
    if (!source || !scoresEl || !failedEl || !window.echarts) return;
    var data = JSON.parse(source.textContent);

    var scores = window.echarts.init(scoresEl);
    scores.setOption({
      tooltip: {
        trigger: "axis",
        formatter: function (params) {
          var lines = [esc(params.length ? params[0].axisValue : "")];
          params.forEach(function (p) { lines.push(p.marker + esc(p.seriesName) + " " + esc(p.value == null ? "—" : p.value)); });
          return lines.join("<br>");
        },
      },
      legend: { top: 0 },
      grid: { left: 40, right: 16, top: 32, bottom: 28 },
      xAxis: { type: "category", data: data.dates.map(function (d) { return d.slice(5); }) },
      yAxis: { type: "value", max: 100, min: function (v) { return Math.max(0, Math.floor((v.min - 5) / 10) * 10); } },
      series: data.series.map(function (s) {
        return { name: s.name, type: "line", connectNulls: true, showSymbol: true, showAllSymbol: true, data: s.points,
                 itemStyle: { color: s.colour }, symbolSize: 7 };
      }),
    });

    var failed = window.echarts.init(failedEl);
    var rows = data.most_failed.slice().reverse();
    var labelFailed = failedEl.dataset.labelFailed, labelAnswered = failedEl.dataset.labelAnswered;
    failed.setOption({
      tooltip: {
        trigger: "axis", axisPointer: { type: "shadow" },
        formatter: function (p) {
          var row = rows[p[0].dataIndex];
          return esc(row.text) + "<br>" + esc(labelFailed) + " " + esc(row.failed) + " / " + esc(labelAnswered) + " " + esc(row.answered);
        },
      },
      grid: { left: 8, right: 24, top: 8, bottom: 8, containLabel: true },
      xAxis: { type: "value", minInterval: 1 },
      yAxis: { type: "category", data: rows.map(function (r) { return r.text.length > 14 ? r.text.slice(0, 13) + "…" : r.text; }) },
      series: [{ type: "bar", barMaxWidth: 22, data: rows.map(function (r) { return r.failed; }), itemStyle: { color: "#d63939" },
                 label: { show: true, position: "right" } }],
    });
    window.addEventListener("resize", function () { scores.resize(); failed.resize(); });
    document.body.dataset.chartsReady = "1";
  }

  document.addEventListener("DOMContentLoaded", draw);
})();
