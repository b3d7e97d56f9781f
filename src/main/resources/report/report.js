// Draws the monthly report's charts with ECharts (report/echarts.min.js, served by the hub from its webjar) from the
// tables the page carries as JSON (#report-data): the same figures as the tables, the CSV and the workbook.
(function () {
  'use strict';
  var data = JSON.parse(document.getElementById('report-data').textContent);
  var tables = {};
  data.tables.forEach(function (t) { tables[t.id] = t; });
  var charts = [];
  var colors = ['#0b57a4', '#2e9e6b', '#e0a21b', '#c4473a', '#7b5ea7', '#3aa5c4', '#8a8f98', '#b86e2f'];

  function column(t, key) { return t.columns.indexOf(key); }
  function values(t, key) { var i = column(t, key); return t.rows.map(function (r) { return r[i] === null ? 0 : Number(r[i]); }); }
  function names(t) { return t.rows.map(function (r) { return String(r[0]); }); }

  function draw(id, option) {
    var el = document.getElementById('chart-' + id);
    if (!el) { return; }
    var chart = echarts.init(el, null, { renderer: 'canvas' });
    option.color = colors;
    option.aria = { enabled: true };
    option.animation = false; // drawn at once: what a screenshot or a print shows is the whole chart
    chart.setOption(option);
    charts.push(chart);
  }

  // a horizontal bar chart: long names (departments, signals) stay readable on a phone
  function bars(id, t, series) {
    var categories = names(t).reverse();
    var el = document.getElementById('chart-' + id);
    // names get about a third of the chart's width: whole on a desktop, cut short (with …) on a phone
    var labelWidth = Math.max(80, Math.min(220, Math.round((el ? el.clientWidth : 300) * 0.35)));
    draw(id, {
      tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
      legend: series.length > 1 ? { bottom: 0 } : undefined,
      grid: { left: 8, right: 24, top: 8, bottom: series.length > 1 ? 64 : 8, containLabel: true },
      xAxis: { type: 'value', minInterval: 1 },
      yAxis: { type: 'category', data: categories,
        axisLabel: { width: labelWidth, overflow: 'truncate' } },
      series: series.map(function (s) {
        return { name: s.name, type: 'bar', data: values(t, s.key).reverse(), label: { show: true, position: 'right' } };
      })
    });
  }

  function header(t, key) { return t.headers[column(t, key)]; }

  var channels = tables.channels;
  draw('channels', {
    tooltip: { trigger: 'item' },
    legend: { bottom: 0, type: 'scroll' },
    series: [{ type: 'pie', radius: ['35%', '65%'], center: ['50%', '45%'],
      label: { formatter: '{c}' },
      data: channels.rows.map(function (r) { return { name: String(r[0]), value: Number(r[1]) }; }) }]
  });
  bars('types', tables.types, [{ key: 'complaints', name: header(tables.types, 'complaints') }]);
  var grades = tables.grades;
  draw('grades', {
    tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
    legend: { bottom: 0 },
    grid: { left: 8, right: 8, top: 24, bottom: 64, containLabel: true },
    xAxis: { type: 'category', data: grades.rowKeys },
    yAxis: { type: 'value', minInterval: 1 },
    series: ['complaints', 'answeredInTime', 'resolvedInTime', 'overdue'].map(function (k) {
      return { name: header(grades, k), type: 'bar', data: values(grades, k) };
    })
  });
  var departments = tables.departments;
  bars('departments', departments, ['complaints', 'answeredInTime', 'resolvedInTime'].map(function (k) {
    return { key: k, name: header(departments, k) };
  }));
  var satisfaction = tables.satisfaction;
  draw('satisfaction', {
    tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
    grid: { left: 8, right: 8, top: 16, bottom: 8, containLabel: true },
    xAxis: { type: 'category', data: names(satisfaction) },
    yAxis: { type: 'value', minInterval: 1 },
    series: [{ name: header(satisfaction, 'complaints'), type: 'bar', data: values(satisfaction, 'complaints'),
      label: { show: true, position: 'top' } }]
  });
  bars('signals', tables.signals, [{ key: 'complaints', name: header(tables.signals, 'complaints') }]);

  window.addEventListener('resize', function () { charts.forEach(function (c) { c.resize(); }); });
})();
