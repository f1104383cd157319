// The ECharts charts of the statistics pages, drawn from the data each page puts in a
// <script type="application/json"> block (Django's json_script), so that no page needs an inline script.
(function () {
  "use strict";

  function data(id) {
    var el = document.getElementById(id);
    return el ? JSON.parse(el.textContent) : null;
  }

  function fit(chart) {
    window.addEventListener("resize", function () { chart.resize(); });
  }

  // reports/dashboard.html: one chart per .cy-chart, a bar or line that links each column to its list.
  var all = data("chart-data");
  if (all) {
    document.querySelectorAll(".cy-chart").forEach(function (el) {
      var d = all.find(function (c) { return c.key === el.dataset.chart; });
      if (!d) {
        return;
      }
      var chart = echarts.init(el, null, {renderer: "svg"});
      chart.setOption({
        tooltip: {trigger: "axis"}, grid: {left: 40, right: 10, top: 10, bottom: 50, containLabel: true},
        xAxis: {type: "category", data: d.labels, axisLabel: {rotate: d.labels.length > 6 ? 30 : 0}},
        yAxis: {type: "value"}, series: [{type: d.kind, name: d.name, data: d.values, cursor: "pointer"}]
      });
      chart.on("click", function (p) { var url = d.urls[p.dataIndex]; if (url) { window.location.href = url; } });
      fit(chart);
    });
  }

  // reports/bureau.html: the schools against each other, criterion by criterion.
  var bench = data("bench-data");
  if (bench) {
    var benchChart = echarts.init(document.getElementById("bench-chart"), null, {renderer: "svg"});
    benchChart.setOption({tooltip: {}, legend: {}, xAxis: {type: "category", data: bench.criteria},
      yAxis: {type: "value"},
      series: bench.series.map(function (s) { return {type: "bar", name: s.name, data: s.values}; })});
    fit(benchChart);
  }

  // evaluations/benchmark.html: one subject against its exemplar; the two names come in data- attributes.
  var rows = data("benchmark-data");
  var holder = document.getElementById("chart");
  if (rows && holder) {
    var mine = holder.dataset.subject, best = holder.dataset.exemplar;
    var chart = echarts.init(holder);
    chart.setOption({
      tooltip: {}, legend: {data: [mine, best]},
      xAxis: {type: "category", data: rows.map(function (r) { return r.title; }), axisLabel: {interval: 0, rotate: 20}},
      yAxis: {type: "value"},
      series: [
        {name: mine, type: "bar", data: rows.map(function (r) { return r.mine && Number(r.mine); })},
        {name: best, type: "bar", data: rows.map(function (r) { return r.best && Number(r.best); })}
      ]
    });
    fit(chart);
  }
})();
