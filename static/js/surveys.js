// The survey results' bar charts (Chart.js, vendored): one per choice or scale question, data through
// json_script; each chart's numbers are also in the table below it.
(function () {
  "use strict";
  var source = document.getElementById("survey-charts");
  if (!source || !window.Chart) {
    return;
  }
  JSON.parse(source.textContent).forEach(function (chart) {
    var canvas = document.getElementById("chart-" + chart.id);
    if (!canvas) {
      return;
    }
    canvas.parentNode.style.height = Math.max(120, chart.labels.length * 28 + 40) + "px";
    var room = window.innerWidth < 576 ? 8 : 16;
    new window.Chart(canvas, {
      type: "bar",
      data: { labels: chart.labels, datasets: [{ label: "人数", data: chart.counts, backgroundColor: "#0d6efd", maxBarThickness: 24 }] },
      options: {
        indexAxis: "y", responsive: true, maintainAspectRatio: false, animation: false,
        scales: {
          x: { beginAtZero: true, ticks: { precision: 0 } },
          y: { ticks: { autoSkip: false, callback: function (value) {
            var label = this.getLabelForValue(value);
            return label.length > room ? label.slice(0, room) + "…" : label;
          } } }
        },
        plugins: { legend: { display: false } }
      }
    });
  });
})();
