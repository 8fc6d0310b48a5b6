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
})();
