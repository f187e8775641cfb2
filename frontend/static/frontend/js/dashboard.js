/* 数据驾驶舱: draws the charts described in <script type="application/json" id="dashboard-charts"> (written
 * by frontend/dashboards.py) with the vendored ECharts, again after htmx swaps the figures for another
 * period. A click on a bar or a table row drills down. No inline scripts or handlers (CSP). */
(function () {
  "use strict";

  var COLORS = ["#b71c1c", "#1565c0", "#2e7d32", "#ef6c00", "#6a1b9a", "#00838f", "#5d4037", "#546e7a",
                "#ad1457", "#9e9d24"];
  var live = [];

  function axisLabel(count) {
    return {interval: 0, rotate: count > 5 ? 35 : 0, hideOverlap: true,
            formatter: function (v) { return v.length > 8 ? v.slice(0, 8) + "…" : v; }};
  }

  function base(spec) {
    return {
      color: COLORS, animationDuration: 300,
      textStyle: {fontFamily: "system-ui, 'PingFang SC', 'Noto Sans CJK SC', 'Microsoft YaHei', sans-serif"},
      legend: {type: "scroll", top: 0},
      grid: {left: 8, right: 12, top: 36, bottom: 8, containLabel: true}
    };
  }

  function option(spec) {
    var o = base(spec);
    if (spec.type === "pie") {
      var data = spec.series[0].data;
      o.tooltip = {trigger: "item", formatter: "{b}：{c}（{d}%）"};
      o.legend = {type: "scroll", bottom: 0};
      o.series = [{name: spec.series[0].name, type: "pie", radius: ["32%", "60%"], center: ["50%", "45%"],
                   data: data, label: {formatter: "{b}\n{c}"}}];
      if (!data.length) {
        o.title = {text: "暂无数据", left: "center", top: "middle", textStyle: {color: "#999", fontSize: 14}};
      }
      return o;
    }
    var horizontal = spec.type === "hbar";
    var twoAxes = spec.series.some(function (s) { return s.axis === 1; });
    var category = {type: "category", data: spec.categories,
                    axisLabel: horizontal ? {formatter: function (v) { return v.length > 8 ? v.slice(0, 8) + "…" : v; }}
                                          : axisLabel(spec.categories.length)};
    var value = {type: "value", minInterval: 1};
    o.tooltip = {trigger: "axis", axisPointer: {type: spec.type === "line" ? "line" : "shadow"}};
    if (horizontal) {
      category.inverse = true;
      o.xAxis = value;
      o.yAxis = category;
    } else {
      o.xAxis = category;
      o.yAxis = twoAxes ? [value, {type: "value", max: 100, axisLabel: {formatter: "{value}%"}, splitLine: {show: false}}]
                        : value;
    }
    o.series = spec.series.map(function (s) {
      return {name: s.name, type: spec.type === "line" ? "line" : "bar", data: s.data, yAxisIndex: s.axis || 0,
              stack: spec.stack ? "all" : undefined, connectNulls: true, barMaxWidth: 36,
              cursor: spec.links.length ? "pointer" : "default"};
    });
    if (!spec.categories.length) {
      o.title = {text: "暂无数据", left: "center", top: "middle", textStyle: {color: "#999", fontSize: 14}};
    }
    return o;
  }

  function draw() {
    live = live.filter(function (chart) {
      if (document.body.contains(chart.getDom())) { return true; }
      chart.dispose();
      return false;
    });
    var block = document.getElementById("dashboard-charts");
    if (!block || typeof echarts === "undefined") { return; }
    JSON.parse(block.textContent).forEach(function (spec) {
      var el = document.getElementById(spec.id);
      if (!el || echarts.getInstanceByDom(el)) { return; }
      var chart = echarts.init(el, null, {renderer: "canvas", locale: "ZH"});
      chart.on("finished", function () { el.setAttribute("data-drawn", "1"); });  // before setOption: may be at once
      chart.setOption(option(spec));
      if (spec.links.length) {
        chart.on("click", function (params) {
          var href = spec.links[params.dataIndex];
          if (href) { window.location.assign(href); }
        });
      }
      live.push(chart);
    });
  }

  function resize() { live.forEach(function (chart) { chart.resize(); }); }

  function periodFields() {
    document.querySelectorAll("[data-period-kind]").forEach(function (select) {
      var to = select.form && select.form.querySelector("[data-period-to]");
      if (to) { to.hidden = select.value !== "range"; }
    });
  }

  document.addEventListener("DOMContentLoaded", function () { draw(); periodFields(); });
  document.addEventListener("htmx:afterSettle", draw);
  document.addEventListener("change", function (event) {
    if (event.target.matches("[data-period-kind]")) { periodFields(); }
  });
  document.addEventListener("click", function (event) {
    if (event.target.closest("[data-print]")) { window.print(); return; }
    var row = event.target.closest("tr[data-href]");
    if (row && !event.target.closest("a")) { window.location.assign(row.getAttribute("data-href")); }
  });
  var timer;
  window.addEventListener("resize", function () { clearTimeout(timer); timer = setTimeout(resize, 100); });
}());
