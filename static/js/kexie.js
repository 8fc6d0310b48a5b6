// Site-wide behaviour. No inline scripts in templates (strict CSP): everything lives here.
(function () {
  "use strict";

  // Forms that need a confirmation carry data-confirm="question".
  document.addEventListener("submit", function (event) {
    var form = event.target;
    var question = form.getAttribute && form.getAttribute("data-confirm");
    if (question && !window.confirm(question)) {
      event.preventDefault();
    }
  });

  // Logging form: show 慰问时机 only for 看望慰问; tick 下基层 for visits in person unless the user chose.
  function syncRecordForm() {
    var method = document.getElementById("id_method");
    if (!method) return;
    document.querySelectorAll("[data-show-for-method]").forEach(function (el) {
      el.classList.toggle("d-none", method.value !== el.getAttribute("data-show-for-method"));
    });
  }
  function suggestGrassroots() {
    var box = document.getElementById("id_grassroots");
    var method = document.getElementById("id_method");
    var channel = document.getElementById("id_channel");
    if (!box || !method || !channel || box.dataset.touched) return;
    box.checked = channel.value === "visit" || (method.value === "survey" && (channel.value === "" || channel.value === "meeting"));
  }
  document.addEventListener("change", function (event) {
    var el = event.target;
    if (el.id === "id_method") { syncRecordForm(); suggestGrassroots(); }
    if (el.id === "id_channel") { suggestGrassroots(); }
    if (el.id === "id_grassroots") { el.dataset.touched = "1"; }
    // A target ticked among the search results joins the picked ones, so the next search keeps it.
    if (el.matches && el.matches("input[data-move-to]") && el.checked) {
      var target = document.getElementById(el.getAttribute("data-move-to"));
      var row = el.closest(".form-check");
      if (target && row) {
        el.removeAttribute("data-move-to");
        target.appendChild(row);
      }
    }
  });
  document.addEventListener("DOMContentLoaded", syncRecordForm);

  // Wide tables: a .table-responsive whose table is wider than the screen says so (kexie.css shows the hint
  // "左右滑动查看" and fades the cut edge until the table is scrolled to its end).
  function markScrollable(box) {
    var scrollable = box.scrollWidth > box.clientWidth + 1;
    box.classList.toggle("is-scrollable", scrollable);
    box.classList.toggle("at-end", scrollable && box.scrollLeft + box.clientWidth >= box.scrollWidth - 1);
  }
  function markAllScrollable() {
    document.querySelectorAll(".table-responsive").forEach(markScrollable);
  }
  document.addEventListener("DOMContentLoaded", markAllScrollable);
  window.addEventListener("resize", markAllScrollable);
  document.addEventListener("htmx:afterSettle", markAllScrollable);
  document.addEventListener("scroll", function (event) {
    var box = event.target;
    if (box.classList && box.classList.contains("table-responsive")) markScrollable(box);
  }, true);

  // Pickers of the list filters (common/picker.py): arrow keys move between the search box and its matches;
  // Escape closes the matches, and so does a click elsewhere while they drop down over the page (wide screens).
  function closePickers(except, overlaysOnly) {
    document.querySelectorAll(".picker-suggestions").forEach(function (box) {
      if (box === except) return;
      if (overlaysOnly && window.getComputedStyle(box).position !== "absolute") return;
      box.replaceChildren();
    });
  }
  document.addEventListener("keydown", function (event) {
    var picker = event.target.closest && event.target.closest(".picker");
    if (!picker) return;
    var input = picker.querySelector("input");
    var buttons = Array.prototype.slice.call(picker.querySelectorAll(".picker-suggestions button"));
    var at = buttons.indexOf(event.target);
    if (event.key === "Escape") {
      closePickers();
      input.focus();
    } else if (event.key === "ArrowDown" && buttons.length) {
      event.preventDefault();
      buttons[Math.min(at + 1, buttons.length - 1)].focus();
    } else if (event.key === "ArrowUp" && at >= 0) {
      event.preventDefault();
      (at === 0 ? input : buttons[at - 1]).focus();
    }
  });
  document.addEventListener("click", function (event) {
    if (!event.target.closest || event.target.closest(".picker-suggestions")) return; // a match submits the form
    var picker = event.target.closest(".picker");
    closePickers(picker ? picker.querySelector(".picker-suggestions") : null, true);
  });

  // Form pickers (common/picker.py FormPickField): Enter in the search box looks up the matches instead of
  // saving the form; the matches are radio buttons submitted with the form.
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Enter" || !event.target.matches || !event.target.matches(".form-picker input[type=search]")) {
      return;
    }
    event.preventDefault();
    event.target.dispatchEvent(new Event("search"));
  });

  // A multiple form picker: a ticked match joins the chosen list, and the search box is cleared for the next.
  document.addEventListener("change", function (event) {
    var box = event.target;
    if (!box.matches || !box.matches(".form-picker-multiple .form-picker-matches input[type=checkbox]")) return;
    if (!box.checked) return;
    var picker = box.closest(".form-picker-multiple");
    var row = box.closest("label");
    row.classList.remove("list-group-item-action");
    picker.querySelector(".form-picker-chosen").appendChild(row);
    var search = picker.querySelector("input[type=search]");
    search.value = "";
    picker.querySelector(".form-picker-matches").replaceChildren();
    search.focus();
  });

  // Bulk greetings: select or clear every scientist at once.
  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest("[data-check-all]");
    if (!button) return;
    var value = button.getAttribute("data-check-all") === "1";
    document.querySelectorAll("input[name='" + button.getAttribute("data-name") + "']").forEach(function (box) {
      box.checked = value;
    });
  });
})();
