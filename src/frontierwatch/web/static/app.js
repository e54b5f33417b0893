// Charts from JSON data blocks (<script type="application/json">); no inline scripts, so the CSP stays strict.
(function () {
  "use strict";
  function data(el) {
    var src = document.getElementById(el.dataset.source);
    return src ? JSON.parse(src.textContent) : null;
  }
  function seriesChart(el, rows) {
    var chart = echarts.init(el);
    chart.setOption({
      tooltip: { trigger: "axis" },
      legend: { top: 0, data: [el.dataset.labelCount, el.dataset.labelShare] },
      grid: { left: 50, right: 60, top: 50, bottom: 30 },
      xAxis: { type: "category", data: rows.map(function (r) { return String(r.year); }) },
      yAxis: [{ type: "value", name: el.dataset.labelCount },
              { type: "value", name: el.dataset.labelShare,
                axisLabel: { formatter: function (v) { return (v * 100).toFixed(1) + "%"; } } }],
      series: [
        { name: el.dataset.labelCount, type: "bar", barMaxWidth: 36, data: rows.map(function (r) { return r.count; }), itemStyle: { color: "#1f5fbf" } },
        { name: el.dataset.labelShare, type: "line", yAxisIndex: 1, smooth: true,
          data: rows.map(function (r) { return r.share; }), itemStyle: { color: "#e07b00" } }
      ]
    });
    return chart;
  }
  function coreRange(values) {
    // the 2nd-98th percentile range, padded: a few far-off topics must not squash the map into a corner
    var v = values.slice().sort(function (a, b) { return a - b; });
    var lo = v[Math.floor(0.02 * (v.length - 1))], hi = v[Math.ceil(0.98 * (v.length - 1))];
    var pad = (hi - lo) * 0.08 || 1;
    return [lo - pad, hi + pad];
  }
  function mapChart(el, points) {
    var chart = echarts.init(el);
    var xr = coreRange(points.map(function (p) { return p.x; }));
    var yr = coreRange(points.map(function (p) { return p.y; }));
    var asOf = el.dataset.asOf ? "?as_of=" + encodeURIComponent(el.dataset.asOf) : "";
    var maxSize = Math.max.apply(null, points.map(function (p) { return p.size; }).concat([1]));
    var bySize = points.slice().sort(function (a, b) { return b.size - a.size; });
    var labelled = {};
    bySize.slice(0, 40).forEach(function (p) { labelled[p.id] = true; });
    var groups = {};
    points.forEach(function (p) { (groups[p.group] = groups[p.group] || []).push(p); });
    var names = Object.keys(groups).sort();
    chart.setOption({
      tooltip: { formatter: function (p) {
        return echarts.format.encodeHTML(p.data.label) + "<br>" + echarts.format.encodeHTML(p.seriesName) + " · " + p.data.size; } },
      legend: names.length > 1 ? { type: "scroll", top: 8, data: names } : { show: false },
      grid: { left: 20, right: 140, top: names.length > 1 ? 50 : 20, bottom: 20 },
      xAxis: { show: false, scale: true }, yAxis: { show: false, scale: true },
      labelLayout: { hideOverlap: true },
      dataZoom: [{ type: "inside", xAxisIndex: 0, filterMode: "none", startValue: xr[0], endValue: xr[1] },
                 { type: "inside", yAxisIndex: 0, filterMode: "none", startValue: yr[0], endValue: yr[1] }],
      series: names.map(function (name) {
        return {
          name: name || "—", type: "scatter",
          data: groups[name].map(function (p) { return { value: [p.x, p.y], label: p.label, size: p.size, id: p.id }; }),
          symbolSize: function (v, p) { return 6 + 30 * Math.sqrt(p.data.size / maxSize); },
          itemStyle: { opacity: 0.75 },
          label: { show: true, position: "right", fontSize: 11, color: "#34495e",
                   formatter: function (p) { return labelled[p.data.id] ? p.data.label : ""; } },
          emphasis: { focus: "series", label: { show: true, formatter: function (p) { return p.data.label; } } }
        };
      })
    });
    chart.on("click", function (p) { window.location.href = "/topics/" + encodeURIComponent(p.data.id) + asOf; });
    return chart;
  }
  function start() {
    if (typeof echarts === "undefined") { return; }
    var charts = [];
    document.querySelectorAll("[data-chart]").forEach(function (el) {
      var rows = data(el);
      if (!rows || !rows.length) { return; }
      charts.push(el.dataset.chart === "map" ? mapChart(el, rows) : seriesChart(el, rows));
    });
    window.addEventListener("resize", function () { charts.forEach(function (c) { c.resize(); }); });
  }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", start); } else { start(); }
})();
