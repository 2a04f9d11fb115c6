/* The managers' dashboard charts: data-chart="bar" ({"labels", "counts"}) and "pareto"
   ({"labels", "counts", "cumulative"}: bars and the cumulative share in per cent), from the
   json_script named by data-source. The tables beside them hold the same numbers. */
(function () {
  "use strict";

  var charts = [];

  // Category labels slant when they would not fit side by side (phones, twelve months).
  function labelWidth(text) {
    var width = 0;
    for (var i = 0; i < text.length; i++) { width += text.charCodeAt(i) > 255 ? 13 : 7; }
    return width;
  }

  function axisLabel(element, labels) {
    var widest = labels.reduce(function (w, label) { return Math.max(w, labelWidth(String(label))); }, 0);
    var crowded = labels.length * (widest + 8) > element.clientWidth - 90;
    return { interval: 0, rotate: crowded ? 40 : 0 };
  }

  function barOption(element, data) {
    return {
      animation: false,
      grid: { left: 40, right: 16, top: 24, bottom: 32, containLabel: true },
      tooltip: { trigger: "axis" },
      xAxis: { type: "category", data: data.labels, axisLabel: axisLabel(element, data.labels) },
      yAxis: { type: "value", minInterval: 1 },
      series: [{ name: element.dataset.seriesName || "", type: "bar", data: data.counts,
                 label: { show: true, position: "top",
                          formatter: function (p) { return p.value ? p.value : ""; } },
                 barMaxWidth: 48 }]
    };
  }

  function paretoOption(element, data) {
    var option = barOption(element, data);
    option.yAxis = [
      { type: "value", minInterval: 1 },
      { type: "value", min: 0, max: 100, axisLabel: { formatter: "{value}%" } }
    ];
    option.series.push({ name: element.dataset.lineName || "", type: "line", yAxisIndex: 1,
                         data: data.cumulative, symbolSize: 6 });
    return option;
  }

  function draw() {
    if (!window.echarts) { return; }
    document.querySelectorAll(".kp-chart[data-chart=bar], .kp-chart[data-chart=pareto]").forEach(function (element) {
      if (element.dataset.drawn) { return; }
      var source = document.getElementById(element.dataset.source);
      if (!source) { return; }
      var data = JSON.parse(source.textContent);
      var chart = window.echarts.init(element, null, { renderer: "svg" });
      chart.setOption(element.dataset.chart === "pareto" ? paretoOption(element, data) : barOption(element, data));
      charts.push(chart);
      element.dataset.drawn = "1";
    });
  }

  window.addEventListener("load", draw);
  window.addEventListener("resize", function () { charts.forEach(function (c) { c.resize(); }); });
  window.addEventListener("beforeprint", function () { charts.forEach(function (c) { c.resize(); }); });
})();
