// Sinergi's own browser code: small behaviours attached by data attributes (no inline handlers,
// so the Content-Security-Policy can forbid inline script).
(function () {
  "use strict";

  // <form data-confirm="question">: ask before submitting (works with and without htmx).
  document.addEventListener("submit", function (event) {
    var form = event.target.closest("form[data-confirm]");
    if (form && !window.confirm(form.getAttribute("data-confirm"))) {
      event.preventDefault();
      event.stopImmediatePropagation();
    }
  }, true);

  // <button data-copy="text">: copy to the clipboard and say so.
  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-copy]");
    if (!button) return;
    var text = button.getAttribute("data-copy");
    var done = function () {
      var original = button.textContent;
      button.textContent = "✓";
      setTimeout(function () { button.textContent = original; }, 1500);
    };
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(text).then(done);
    } else {
      var input = button.parentElement.querySelector("input.invite-link");
      if (input) { input.select(); document.execCommand("copy"); done(); }
    }
  });
})();
