// The dashboard's charts (Chart.js, vendored) and sortable tables. Data arrives through json_script.
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

  // Sortable tables: click a header to sort by that column (numbers by data-value), again to reverse.
  document.querySelectorAll("table[data-sortable]").forEach(function (table) {
    table.querySelectorAll("th[data-sort]").forEach(function (th, index) {
      th.setAttribute("role", "button");
      th.setAttribute("tabindex", "0");
      th.setAttribute("aria-sort", "none");
      function sort() {
        var numeric = th.getAttribute("data-sort") === "number";
        var ascending = th.getAttribute("aria-sort") !== "ascending";
        var body = table.tBodies[0];
        var rows = Array.prototype.slice.call(body.rows);
        rows.sort(function (a, b) {
          var x = a.cells[index], y = b.cells[index];
          var vx = x.getAttribute("data-value") || x.textContent.trim();
          var vy = y.getAttribute("data-value") || y.textContent.trim();
          var result = numeric ? parseFloat(vx) - parseFloat(vy) : vx.localeCompare(vy, "zh-Hans-CN");
          return ascending ? result : -result;
        });
        rows.forEach(function (row) { body.appendChild(row); });
        table.querySelectorAll("th[data-sort]").forEach(function (other) { other.setAttribute("aria-sort", "none"); });
        th.setAttribute("aria-sort", ascending ? "ascending" : "descending");
      }
      th.addEventListener("click", sort);
      th.addEventListener("keydown", function (event) { if (event.key === "Enter" || event.key === " ") { event.preventDefault(); sort(); } });
    });
  });
})();

// Printing shows the data tables instead of the charts.
window.addEventListener("beforeprint", function () {
  document.querySelectorAll("details.chart-table").forEach(function (d) { d.open = true; });
});
