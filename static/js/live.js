// Live updates by long polling (docs/live-updates.md). Every element with data-live-url asks its URL
// with If-None-Match and "Prefer: wait=25": the server holds the request until the fragment changed
// (the fresh fragment, with a new ETag) or 25 s passed (304), and the element asks again at once. A
// server that did not wait (304 sooner than LIVE_POLL_MS) is asked again after the rest of the
// interval, and a long request that fails (network, proxy, 5xx) turns the page to plain conditional
// polling every LIVE_POLL_MS for a while. Only while the tab is visible: hiding it ends the waiting
// requests, showing it asks at once. The fragment is merged by data-live-key: whatever someone is
// writing in (focus, changed text, a chosen file, an open reply box) is left exactly as it is, and
// everything around it is brought up to date.
(function () {
  "use strict";
  var meta = document.querySelector('meta[name="sinergi-live"]');
  var interval = Math.max(500, parseInt(meta && meta.content, 10) || 1200);

  // A choice made but not yet sent. A select whose markup marks no option as chosen starts on its
  // first option (or on none, when it allows several).
  function selectChanged(select) {
    var options = select.options, marked = false;
    for (var i = 0; i < options.length; i++) if (options[i].defaultSelected) { marked = true; break; }
    for (var j = 0; j < options.length; j++) {
      var initially = marked ? options[j].defaultSelected : (!select.multiple && j === 0);
      if (options[j].selected !== initially) return true;
    }
    return false;
  }

  function isBusy(el) {
    var active = document.activeElement;
    if (active && el.contains(active) && active.matches("textarea, input, select, [contenteditable]")) return true;
    var fields = el.querySelectorAll("textarea, input, select");
    for (var i = 0; i < fields.length; i++) {
      var f = fields[i];
      if (f.type === "hidden" || f.type === "submit" || f.type === "button") continue;
      if (f.type === "file") { if (f.files && f.files.length) return true; continue; }
      if (f.type === "checkbox" || f.type === "radio") { if (f.checked !== f.defaultChecked) return true; continue; }
      if (f.tagName === "SELECT") { if (selectChanged(f)) return true; continue; }
      if (f.value !== f.defaultValue) return true;
    }
    var open = el.querySelectorAll("details[open]");
    for (var j = 0; j < open.length; j++) if (open[j].querySelector("form")) return true;
    return false;
  }

  function key(el) { return el.getAttribute("data-live-key"); }

  function keyedChildren(root) {
    var all = root.querySelectorAll("[data-live-key]"), out = [];
    for (var i = 0; i < all.length; i++) {
      if (all[i].parentElement.closest("[data-live-key], [data-live-url]") === root) out.push(all[i]);
    }
    return out;
  }

  function find(root, k) { return root.querySelector('[data-live-key="' + k.replace(/["\\]/g, "") + '"]'); }

  function keyedSibling(el, forward) {
    var s = forward ? el.nextElementSibling : el.previousElementSibling;
    while (s && !s.hasAttribute("data-live-key")) s = forward ? s.nextElementSibling : s.previousElementSibling;
    return s;
  }

  function swapIn(oldEl, newEl) {
    oldEl.replaceWith(newEl);
    if (window.htmx) window.htmx.process(newEl);
    newEl.dispatchEvent(new CustomEvent("sinergi:content", { bubbles: true }));
    return newEl;
  }

  function insert(oldRoot, newEl) {
    var before = keyedSibling(newEl, false), after = keyedSibling(newEl, true);
    var anchor;
    newEl.remove();
    if (before && (anchor = find(oldRoot, key(before)))) anchor.after(newEl);
    else if (after && (anchor = find(oldRoot, key(after)))) anchor.before(newEl);
    else {
      var parentId = newEl.parentElement ? newEl.parentElement.id : "";
      var container = (parentId && (oldRoot.id === parentId ? oldRoot : oldRoot.querySelector("#" + CSS.escape(parentId)))) || oldRoot;
      var empty = container.querySelector(":scope > .threads-empty");
      if (empty) empty.before(newEl); else container.appendChild(newEl);
    }
    if (window.htmx) window.htmx.process(newEl);
    newEl.dispatchEvent(new CustomEvent("sinergi:content", { bubbles: true }));
  }

  // Bring oldEl up to date with newEl without touching what someone is busy with.
  function patch(oldEl, newEl) {
    if (!isBusy(oldEl)) return swapIn(oldEl, newEl);
    var fresh = keyedChildren(newEl), stale = {};
    keyedChildren(oldEl).forEach(function (o) { stale[key(o)] = o; });
    fresh.forEach(function (n) {
      var o = stale[key(n)];
      if (o) { delete stale[key(n)]; patch(o, n); }
      else insert(oldEl, n);
    });
    Object.keys(stale).forEach(function (k) { if (!isBusy(stale[k])) stale[k].remove(); });
    return oldEl;
  }

  function apply(el, html, tag) {
    if (!el.isConnected) return null;
    var tpl = document.createElement("template");
    tpl.innerHTML = html.trim();
    var fresh = tpl.content.firstElementChild;
    if (!fresh) return el;
    var placed = patch(el, fresh);
    if (tag) placed.setAttribute("data-live-etag", tag);
    return placed;
  }

  var WAIT_S = 25;
  var pollingUntil = 0;  // after a failed long request: plain polling until then
  var asking = [];       // {el, controller} of the requests in flight

  function state(el) { return el.sinergiLive || (el.sinergiLive = { timer: null, quick: 0 }); }

  function later(el, ms) {
    var s = state(el);
    clearTimeout(s.timer);
    s.timer = setTimeout(function () { s.timer = null; ask(el); }, Math.max(0, ms));
  }

  function ask(el) {
    if (!el.isConnected || el.hasAttribute("data-live-busy") || el.hasAttribute("data-live-stopped")) return;
    if (document.visibilityState !== "visible") return;  // asked again when the tab shows
    var s = state(el);
    clearTimeout(s.timer);
    s.timer = null;
    var waiting = Date.now() >= pollingUntil;
    var headers = { "HX-Request": "true" };
    var tag = el.getAttribute("data-live-etag");
    if (tag) headers["If-None-Match"] = '"' + tag + '"';
    if (waiting) headers["Prefer"] = "wait=" + WAIT_S;
    var entry = { el: el, controller: window.AbortController ? new AbortController() : null };
    // A request the network or a proxy holds beyond the server's own limit has failed.
    var watchdog = waiting && entry.controller ? setTimeout(function () { entry.controller.abort(); }, (WAIT_S + 15) * 1000) : null;
    asking.push(entry);
    el.setAttribute("data-live-busy", "");
    var started = Date.now();
    var done = function () {
      clearTimeout(watchdog);
      asking = asking.filter(function (e) { return e !== entry; });
      el.removeAttribute("data-live-busy");
    };
    fetch(el.getAttribute("data-live-url"), {
      headers: headers, credentials: "same-origin", cache: "no-store", redirect: "error",
      signal: entry.controller ? entry.controller.signal : undefined
    })
      .then(function (response) {
        var elapsed = Date.now() - started;
        if (response.status === 404 || response.status === 403 || response.status === 401) {
          done();
          el.setAttribute("data-live-stopped", "");  // no longer allowed: stop asking
          return;
        }
        if (response.status === 304) {
          done();
          s.quick = 0;
          // It waited: ask again now. It did not (plain polling, or a server short of threads): later.
          later(el, waiting && elapsed >= interval ? 0 : interval - elapsed);
          return;
        }
        if (!response.ok) throw new Error("HTTP " + response.status);
        var etag = (response.headers.get("ETag") || "").replace(/^W\//, "").replace(/"/g, "");
        return response.text().then(function (html) {
          done();
          var placed = apply(el, html, etag);
          if (!placed) return;
          // A fresh copy: wait for the next change at once, unless changes come faster than the
          // interval (then at the interval: a busy discussion is not re-rendered back to back).
          var ps = state(placed);
          ps.quick = elapsed < interval ? s.quick + 1 : 0;
          later(placed, waiting && ps.quick < 2 ? 0 : interval);
        });
      })
      .catch(function () {
        done();
        if (entry.aborted) return;  // the tab was hidden or the element left the page
        if (waiting) pollingUntil = Date.now() + 30 * interval;
        later(el, interval);  // offline, signed out, or a proxy that cuts long requests: poll
      });
  }

  function stopAsking(all) {
    asking.slice().forEach(function (e) {
      if ((all || !e.el.isConnected) && e.controller) { e.aborted = true; e.controller.abort(); }
    });
  }

  // Start every live element that is not asking yet (new ones come with swaps), and end the
  // requests of elements that left the page: each holds one of the browser's few connections.
  function tick() {
    stopAsking(false);
    if (document.visibilityState !== "visible") return;
    var list = document.querySelectorAll("[data-live-url]");
    for (var i = 0; i < list.length; i++) {
      var el = list[i];
      if (!state(el).timer) ask(el);
    }
  }

  // Someone's own save and the live answer it causes arrive together: when the live answer came
  // first, the thread the save's htmx response inserts is already there. Keep one (the one just
  // inserted, unless the other is being written in).
  function keepOne(el) {
    if (!el.hasAttribute || !el.hasAttribute("data-live-key")) return;
    var root = el.parentElement && el.parentElement.closest("[data-live-url]");
    if (!root) return;
    var same = root.querySelectorAll('[data-live-key="' + key(el).replace(/["\\]/g, "") + '"]');
    for (var i = 0; i < same.length; i++) {
      if (same[i] === el || same[i].contains(el) || el.contains(same[i])) continue;
      if (isBusy(same[i])) { el.remove(); return; }
      same[i].remove();
    }
  }
  document.addEventListener("htmx:load", function (event) { keepOne(event.target); });
  // htmx:load comes only after htmx's settle delay: until then both copies would show. The swap marks
  // what it inserted (htmx-added), so keep one as soon as it is in.
  document.addEventListener("htmx:afterSwap", function () {
    var added = document.querySelectorAll("[data-live-url] .htmx-added[data-live-key]");
    for (var i = 0; i < added.length; i++) keepOne(added[i]);
  });

  setInterval(tick, interval);
  document.addEventListener("visibilitychange", function () {
    if (document.visibilityState === "visible") tick();
    else stopAsking(true);
  });
  document.addEventListener("htmx:afterSettle", tick);
  document.addEventListener("DOMContentLoaded", tick);
  window.SinergiLive = { tick: tick, isBusy: isBusy };
})();
