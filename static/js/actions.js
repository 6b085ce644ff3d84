// Follow-up actions board: drag a card to another column to change its status.
// The card's own "Move" form does the work (the same form keyboard and no-JS users submit),
// so dragging only picks the button for the target column and clicks it.
(function () {
  "use strict";

  function revert(evt) {
    var ref = evt.from.children[evt.oldIndex] || null;
    evt.from.insertBefore(evt.item, ref);
  }

  function onEnd(evt) {
    if (evt.from === evt.to) return;
    var target = evt.to.getAttribute("data-status");
    var form = evt.item.querySelector("details.move form");
    var button = form && form.querySelector('button[name="status"][value="' + target + '"]');
    if (!button) { revert(evt); return; }
    var question = button.getAttribute("data-needs-note");
    var note = form.querySelector("[data-note]");
    if (question && note && !note.value.trim()) {
      var answer = window.prompt(question);
      if (answer === null || !answer.trim()) { revert(evt); return; }
      note.value = answer.trim();
    }
    button.click();
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

  document.addEventListener("DOMContentLoaded", function () { init(document); });
  // Boosted navigation and swapped board fragments bring new columns.
  document.addEventListener("htmx:load", function (event) { init(event.target); });
})();
