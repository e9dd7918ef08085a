// The forecast page's two charts (waits/forecast.html): data from the json_script "forecast-chart",
// series names from the chart elements' data-l-* attributes (translated, escaped by the template).
document.addEventListener("DOMContentLoaded", function () {
  const data = JSON.parse(document.getElementById("forecast-chart").textContent);
  const charts = [];
  const acc = document.getElementById("chart-accuracy");
  if (acc) {
    const c = echarts.init(acc); charts.push(c);
    c.setOption({
      tooltip: {trigger: "axis"}, legend: {top: 0}, grid: {left: 40, right: 48, top: 32, bottom: 28},
      xAxis: {type: "category", data: data.days.map(d => d.slice(5))},
      yAxis: [{type: "value", name: "min"}, {type: "value", name: "%", min: 0, max: 100}],
      series: [
        {name: acc.dataset.lMae, type: "line", data: data.mae},
        {name: acc.dataset.lLes, type: "line", data: data.les, lineStyle: {type: "dashed"}},
        {name: acc.dataset.lCov, type: "bar", yAxisIndex: 1, data: data.coverage, itemStyle: {opacity: 0.35}},
      ],
    });
  }
  const st = document.getElementById("chart-staffing");
  if (st) {
    const c = echarts.init(st); charts.push(c);
    c.setOption({
      tooltip: {trigger: "axis"}, legend: {top: 0}, grid: {left: 40, right: 40, top: 32, bottom: 28},
      xAxis: {type: "category", data: data.hours},
      yAxis: [{type: "value", minInterval: 1}, {type: "value", minInterval: 1}],
      series: [
        {name: st.dataset.lArr, type: "bar", data: data.arrivals, itemStyle: {opacity: 0.5}},
        {name: st.dataset.lNeed, type: "line", step: "middle", yAxisIndex: 1, data: data.needed},
      ],
    });
  }
  window.addEventListener("resize", () => charts.forEach(c => c.resize()));
  document.body.dataset.chartsReady = "1";
});
