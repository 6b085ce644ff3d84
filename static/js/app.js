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

  // Keyboard users keep their place. When an htmx swap replaces the element that has the focus
  // (the roll call's "Present" button, a Pasal's editor, the status form), the browser drops focus
  // to <body> and the next Tab starts again at the top of the page. After the swap, focus goes back
  // to the same control when the new content still has it (same form action, name and value, or
  // same link), else to the content that was swapped in (the same region, found by its id). htmx itself already restores an element
  // with an id; this runs only when focus was lost.
  var lostFocus = null;

  function identity(el) {
    return [el.tagName, el.getAttribute("name"), el.getAttribute("value"), el.getAttribute("href"),
            el.form ? el.form.getAttribute("action") : null].join("\u0000");
  }

  function remember(target) {
    var active = document.activeElement;
    if (!active || active === document.body || !target || target === document.body) return;
    if (target.contains(active)) lostFocus = {control: identity(active), tag: active.tagName, region: target.id};
  }

  // A swap that does not hold the focus leaves a pending restore alone: the draft's live poll can
  // answer between a Pasal's save and that save's settle, and clearing here lost the focus to <body>.
  // A stale entry is harmless: afterSettle acts only while the focus is on <body>, then clears it.
  document.addEventListener("htmx:beforeSwap", function (event) {
    if (!event.detail.boosted) remember(event.detail.target);
  });
  // A poll's out-of-band swap can replace the focused element too (a Pasal just saved comes back
  // with the draft's live poll).
  document.addEventListener("htmx:oobBeforeSwap", function (event) { remember(event.detail.target); });

  document.addEventListener("htmx:afterSettle", function (event) {
    var lost = lostFocus;
    lostFocus = null;
    if (!lost || (document.activeElement && document.activeElement !== document.body)) return;
    var region = (lost.region && document.getElementById(lost.region)) || event.target;
    if (!region || !region.isConnected || region === document.body) return;
    var candidates = region.querySelectorAll(lost.tag);
    for (var i = 0; i < candidates.length; i++) {
      if (identity(candidates[i]) === lost.control && candidates[i].getClientRects().length) {
        candidates[i].focus();
        return;
      }
    }
    if (!region.hasAttribute("tabindex")) region.setAttribute("tabindex", "-1");
    region.focus();
  });

  // An out-of-band part whose place is not on this page is dropped from the response instead of
  // being reported as an error: the draft's live poll sends each Pasal saved by others, and a Pasal
  // open in this person's editor has no <article> to replace (they are told, and merge on save).
  document.addEventListener("htmx:beforeSwap", function (event) {
    var html = event.detail.serverResponse;
    if (typeof html !== "string" || html.indexOf("hx-swap-oob") === -1) return;
    var tpl = document.createElement("template");
    tpl.innerHTML = html;
    var parts = tpl.content.querySelectorAll('[hx-swap-oob="true"][id]'), dropped = false;
    for (var i = 0; i < parts.length; i++) {
      if (!document.getElementById(parts[i].id)) { parts[i].remove(); dropped = true; }
    }
    if (dropped) event.detail.serverResponse = tpl.innerHTML;
  });
})();
