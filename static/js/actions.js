// Follow-up actions board.
// - Drag a card to another column: the board's one shared form (data-board-move) is posted to the
//   card's status URL (its Move link) with the target column's status, as its Move buttons would.
// - Open "Move" on a card: its form (a button per status) is loaded into the card. Without
//   JavaScript the Move link leads to a page with the same form.
// - "Show more" appends a column's next cards; focus goes to the first of them, and after a Move
//   by keyboard to the moved card.
(function () {
  "use strict";

  function revert(evt) {
    var ref = evt.from.children[evt.oldIndex] || null;
    evt.from.insertBefore(evt.item, ref);
  }

  function onEnd(evt) {
    if (evt.from === evt.to) return;
    var target = evt.to.getAttribute("data-status");
    var link = evt.item.querySelector("[data-move-form]");
    var form = document.querySelector("form[data-board-move]");
    if (!link || !form || !window.htmx) { revert(evt); return; }
    var values = { status: target, note: "" };
    // Blocked needs a reason; reopening a finished action needs a note (the server says so too).
    if (target === "terhambat" || evt.from.getAttribute("data-status") === "selesai") {
      var title = evt.item.querySelector(".card-title");
      var question = (form.getAttribute("data-ask") || "")
        .replace("{title}", title ? title.textContent : "")
        .replace("{status}", evt.to.getAttribute("data-status-label") || target);
      var answer = window.prompt(question);
      if (answer === null || !answer.trim()) { revert(evt); return; }
      values.note = answer.trim();
    }
    window.htmx.ajax("POST", link.getAttribute("href"), {
      source: form, target: "#results", swap: "outerHTML", values: values
    });
  }

  function init(root) {
    if (typeof window.Sortable === "undefined") return;
    var lists = root.querySelectorAll ? root.querySelectorAll("[data-board-column]") : [];
    Array.prototype.forEach.call(lists, function (list) {
      if (list.getAttribute("data-sortable-ready")) return;
      list.setAttribute("data-sortable-ready", "1");
      window.Sortable.create(list, {
        group: "board",
        draggable: "li[data-movable]",
        filter: "details, input, button, a",
        preventOnFilter: false,
        animation: 150,
        onEnd: onEnd
      });
    });
  }

  // "toggle" does not bubble: listen in the capture phase, for cards added later too.
  document.addEventListener("toggle", function (event) {
    var details = event.target;
    if (!details.matches || !details.matches("details.move") || !details.open || !window.htmx) return;
    var link = details.querySelector("a[data-move-form]");
    if (!link || details.getAttribute("data-loading")) return;
    details.setAttribute("data-loading", "1");
    // The link stays (hidden): dragging the card posts to its address. The request comes from the
    // <details>, not the link: a boosted link would ask for the whole Move page. settle:0ms: the form
    // works as soon as it shows (htmx wires hx-post when the swap settles).
    link.hidden = true;
    window.htmx.ajax("GET", link.getAttribute("href"), { source: details, target: link, swap: "afterend settle:0ms" });
  }, true);

  // Keep the keyboard user's place when htmx replaces what had the focus: after "show more" the
  // first new card; after a card's Move form swapped the board, that card where it now is.
  var refocus = null;
  document.addEventListener("htmx:beforeSwap", function (event) {
    // The element that made the request (detail.elt is the swap's target).
    var elt = event.detail.requestConfig && event.detail.requestConfig.elt;
    refocus = null;
    if (!elt || !elt.closest) return;
    if (elt.matches("[data-board-more]")) {
      var last = elt.closest("li").previousElementSibling;
      refocus = function () { return last && last.nextElementSibling; };
    } else if (elt.matches("form") && elt.closest(".board-card")) {
      var id = elt.closest(".board-card").id;
      refocus = function () { return document.getElementById(id); };
    }
  });
  document.addEventListener("htmx:afterSettle", function () {
    if (!refocus) return;
    var card = refocus();
    refocus = null;
    var title = card && card.querySelector(".card-title");
    if (title) title.focus();
  });

  document.addEventListener("DOMContentLoaded", function () { init(document); });
  // Boosted navigation and swapped board fragments bring new columns.
  document.addEventListener("htmx:load", function (event) { init(event.target); });
})();
