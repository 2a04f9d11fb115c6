/* Kaoping's page behaviour: charts from json_script data; re-run after htmx swaps.

   A chart is <div class="kp-chart" data-chart="line" data-source="ID" data-series-name="…">
   next to {{ data|json_script:"ID" }} holding {"periods": [...], "totals": [...]}.
   Nothing here is needed to use a page: forms post without JavaScript too. */
(function () {
  "use strict";

  function lineChart(element, data) {
    var chart = window.echarts.init(element, null, { renderer: "svg" });
    chart.setOption({
      animation: false,
      grid: { left: 44, right: 24, top: 32, bottom: 32 },
      tooltip: { trigger: "axis" },
      xAxis: { type: "category", data: data.periods, boundaryGap: true },
      yAxis: {
        type: "value",
        min: function (v) { return Math.max(0, Math.floor(v.min - 2)); },
        // a 100-point scale stops at 100 unless a bonus took a score above it
        max: function (v) { return v.max <= 100 ? Math.min(100, Math.ceil(v.max + 1)) : Math.ceil(v.max + 1); }
      },
      series: [{
        name: element.dataset.seriesName || "",
        type: "line",
        data: data.totals.map(Number),
        smooth: false,
        symbolSize: 8,
        // the totals as the engine wrote them ("96.0"), not as numbers ("96")
        label: {
          show: data.totals.length <= 12,
          position: "top",
          formatter: function (p) { return data.totals[p.dataIndex]; }
        },
        lineStyle: { width: 3 },
        areaStyle: { opacity: 0.08 }
      }]
    });
    return chart;
  }

  var charts = [];

  function drawCharts(root) {
    if (!window.echarts) { return; }
    root.querySelectorAll(".kp-chart[data-chart]").forEach(function (element) {
      if (element.dataset.drawn) { return; }
      var source = document.getElementById(element.dataset.source);
      if (!source) { return; }
      var data = JSON.parse(source.textContent);
      if (element.dataset.chart === "line") {
        charts.push(lineChart(element, data));
        element.dataset.drawn = "1";
      }
    });
  }

  window.addEventListener("load", function () { drawCharts(document); });
  window.addEventListener("resize", function () { charts.forEach(function (c) { c.resize(); }); });
  document.addEventListener("htmx:afterSettle", function (event) { drawCharts(event.target); });
  window.addEventListener("beforeprint", function () { charts.forEach(function (c) { c.resize(); }); });
})();
