// Meetings: live minutes by conditional polling, and drag-and-drop ordering of the agenda.
// No inline handlers (CSP); everything hangs off data attributes and works again after htmx swaps.
(function () {
  "use strict";

  var POLL_MS = 1000;  // changes reach the others within ~2 s: one poll period plus a fragment fetch

  // -- live minutes --------------------------------------------------------------------------
  // [data-minutes-live-url] on the meeting page returns {items: [{id, rev, by}]} with an ETag (304 when
  // nothing changed). An item whose head moved on is refreshed through htmx, unless its textarea
  // is being edited: then we only say who saved, and the server merges on save (base_rev travels
  // with the form), so nothing anyone typed is lost.
  var live = { url: null, etag: null, busy: false, timer: null };

  function isEditing(box) {
    // A conflict proposal not yet saved counts as editing: refreshing would drop the user's words.
    if (box.hasAttribute("data-unsaved")) return true;
    var area = box.querySelector("textarea[name=text]");
    return !!area && (document.activeElement === area || area.value !== area.defaultValue);
  }

  // The agenda follows others' changes (added, edited, reordered items) unless the user is busy in it.
  function followAgenda(root, state) {
    var agenda = document.getElementById("agenda");
    var known = root.getAttribute("data-agenda-version");
    if (!agenda || String(state.agenda_version) === known) return;
    var busy = agenda.contains(document.activeElement) || agenda.querySelector("details[open]");
    if (busy || !window.htmx) return;
    root.setAttribute("data-agenda-version", String(state.agenda_version));
    window.htmx.ajax("GET", root.getAttribute("data-agenda-src"), { target: agenda, swap: "outerHTML" });
  }

  function followStatus(root, state) {
    var banner = root.querySelector("[data-live-status]");
    if (banner && state.status !== root.getAttribute("data-status")) banner.hidden = false;
  }

  function apply(state) {
    var root = document.querySelector("[data-minutes-live-url]");
    if (root) { followAgenda(root, state); followStatus(root, state); }
    (state.items || []).forEach(function (entry) {
      var box = document.querySelector('[data-minutes-item="' + entry.id + '"]');
      if (!box) return;
      var rev = parseInt(box.getAttribute("data-rev"), 10) || 0;
      if (entry.rev <= rev) return;
      if (isEditing(box)) {
        var notice = box.querySelector(".minutes-notice");
        if (notice) notice.textContent = (box.getAttribute("data-notice") || "").replace("{name}", entry.by || "?");
        return;
      }
      if (window.htmx) {
        window.htmx.ajax("GET", box.getAttribute("data-src"), { target: box, swap: "outerHTML" });
      }
    });
  }

  function poll() {
    if (!live.url || live.busy || document.hidden) return;
    live.busy = true;
    var headers = { "Accept": "application/json" };
    if (live.etag) headers["If-None-Match"] = live.etag;
    fetch(live.url, { headers: headers, credentials: "same-origin", cache: "no-cache" })
      .then(function (response) {
        if (response.status !== 200) return null;
        live.etag = response.headers.get("ETag");
        return response.json();
      })
      .then(function (state) { if (state) apply(state); })
      .catch(function () { /* offline for a moment: the next poll tries again */ })
      .then(function () { live.busy = false; });
  }

  function setupLive() {
    var root = document.querySelector("[data-minutes-live-url]");
    var url = root ? root.getAttribute("data-minutes-live-url") : null;
    if (url !== live.url) { live.url = url; live.etag = null; }
    if (live.url && !live.timer) live.timer = setInterval(poll, POLL_MS);
    if (!live.url && live.timer) { clearInterval(live.timer); live.timer = null; }
  }

  // -- agenda drag and drop ------------------------------------------------------------------
  // SortableJS is loaded only on pages with a sortable list. The up/down buttons next to each
  // item are the keyboard (and no-JavaScript) way; dragging submits the same form with the order.
  var sortableLoading = null;

  function loadSortable(src) {
    if (window.Sortable) return Promise.resolve(window.Sortable);
    if (!sortableLoading) {
      sortableLoading = new Promise(function (resolve, reject) {
        var script = document.createElement("script");
        script.src = src;
        script.onload = function () { resolve(window.Sortable); };
        script.onerror = reject;
        document.head.appendChild(script);
      });
    }
    return sortableLoading;
  }

  function setupSortable() {
    document.querySelectorAll("[data-sortable]").forEach(function (list) {
      if (list.getAttribute("data-sortable-ready")) return;
      list.setAttribute("data-sortable-ready", "1");
      loadSortable(list.getAttribute("data-sortable-src")).then(function (Sortable) {
        Sortable.create(list, {
          handle: ".drag-handle",
          animation: 150,
          onEnd: function (event) {
            if (event.oldIndex === event.newIndex) return;
            var form = list.closest("form");
            if (form && form.requestSubmit) form.requestSubmit();
            else if (form) form.submit();
          }
        });
      });
    });
  }

  function setup() { setupLive(); setupSortable(); }

  document.addEventListener("DOMContentLoaded", setup);
  document.addEventListener("htmx:load", setup);
})();
