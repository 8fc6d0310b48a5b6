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
      new window.Chart(visits, {
        data: {
          labels: data.teams,
          datasets: [
            { type: "bar", label: "下基层次数", data: data.visits, backgroundColor: "#0d6efd" },
            { type: "line", label: "最少次数", data: data.visit_minimums, borderColor: "#dc3545",
              backgroundColor: "#dc3545", pointRadius: 0, borderWidth: 2, stepped: "middle" }
          ]
        },
        options: {
          responsive: true, maintainAspectRatio: false, animation: false,
          scales: { y: { beginAtZero: true, ticks: { precision: 0 } }, x: { ticks: { autoSkip: false, maxRotation: 90 } } },
          plugins: { legend: { position: "bottom" } }
        }
      });
    }
  }
})();

// Printing shows the data tables instead of the charts.
window.addEventListener("beforeprint", function () {
  document.querySelectorAll("details.chart-table").forEach(function (d) { d.open = true; });
});
