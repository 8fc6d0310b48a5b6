// The dashboard's charts (Chart.js, vendored). Data arrives through json_script.
(function () {
  "use strict";
  var source = document.getElementById("dashboard-data");
  if (source && window.Chart) {
    var data = JSON.parse(source.textContent);
    var palette = ["#0d6efd", "#198754", "#fd7e14", "#6f42c1", "#20c997"];
    var records = document.getElementById("chart-records");
    if (records) {
      new window.Chart(records, {
        type: "bar",
        data: {
          labels: data.months,
          datasets: data.methods.map(function (m, i) {
            return { label: m.label, data: m.data, backgroundColor: palette[i % palette.length] };
          })
        },
        options: {
          responsive: true, maintainAspectRatio: false, animation: false,
          scales: { x: { stacked: true }, y: { stacked: true, beginAtZero: true, ticks: { precision: 0 } } },
          plugins: { legend: { position: "bottom" } }
        }
      });
    }
    var visits = document.getElementById("chart-visits");
    if (visits) {
      // Horizontal bars, one line per team, so that every name stays readable on a phone (375 px): the box
      // grows with the teams and scrolls inside its frame (.chart-scroll); the red mark is the minimum.
      var box = visits.parentNode;
      box.style.height = Math.max(224, data.teams.length * 30 + 80) + "px";
      var shortName = function (name) {
        var room = window.innerWidth < 576 ? 7 : 14;
        return name.length > room ? name.slice(0, room) + "…" : name;
      };
      new window.Chart(visits, {
        data: {
          labels: data.teams,
          datasets: [
            { type: "bar", label: "下基层次数", data: data.visits, backgroundColor: "#0d6efd", maxBarThickness: 16, order: 2 },
            { type: "line", label: "最少次数", data: data.visit_minimums, showLine: false, borderColor: "#dc3545",
              backgroundColor: "#dc3545", pointStyle: "line", pointRadius: 10, pointHoverRadius: 10,
              pointRotation: 90, borderWidth: 3, order: 1 }
          ]
        },
        options: {
          indexAxis: "y", responsive: true, maintainAspectRatio: false, animation: false,
          scales: {
            x: { position: "top", beginAtZero: true, ticks: { precision: 0 } },
            y: { ticks: { autoSkip: false, callback: function (value) { return shortName(this.getLabelForValue(value)); } } }
          },
          plugins: {
            legend: { position: "top", labels: { sort: function (a, b) { return a.datasetIndex - b.datasetIndex; } } },
            tooltip: { callbacks: { title: function (items) { return items.length ? data.teams[items[0].dataIndex] : ""; } } }
          }
        }
      });
    }
  }
})();

// Printing shows the data tables instead of the charts.
window.addEventListener("beforeprint", function () {
  document.querySelectorAll("details.chart-table").forEach(function (d) { d.open = true; });
});
