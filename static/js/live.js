// Live updates by conditional polling (docs/live-updates.md). Every element with data-live-url asks
// its URL every LIVE_POLL_MS (the sinergi-live meta) with If-None-Match; the server answers 304
// while nothing changed, or the fresh fragment with a new ETag. The fragment is merged by
// data-live-key: whatever someone is writing in (focus, changed text, a chosen file, an open
// reply box) is left exactly as it is, and everything around it is brought up to date.
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
    if (!el.isConnected) return;
    var tpl = document.createElement("template");
    tpl.innerHTML = html.trim();
    var fresh = tpl.content.firstElementChild;
    if (!fresh) return;
    var placed = patch(el, fresh);
    if (tag) placed.setAttribute("data-live-etag", tag);
  }

  function poll(el) {
    if (el.hasAttribute("data-live-busy") || el.hasAttribute("data-live-stopped")) return;
    el.setAttribute("data-live-busy", "");
    var headers = { "HX-Request": "true" };
    var tag = el.getAttribute("data-live-etag");
    if (tag) headers["If-None-Match"] = '"' + tag + '"';
    fetch(el.getAttribute("data-live-url"), { headers: headers, credentials: "same-origin", cache: "no-store", redirect: "error" })
      .then(function (response) {
        if (response.status === 304) return null;
        if (response.status === 404 || response.status === 403 || response.status === 401) {
          el.setAttribute("data-live-stopped", "");  // no longer allowed: stop asking
          return null;
        }
        if (!response.ok) return null;
        var etag = (response.headers.get("ETag") || "").replace(/^W\//, "").replace(/"/g, "");
        return response.text().then(function (html) { apply(el, html, etag); });
      })
      .catch(function () { /* offline or signed out: try again next tick */ })
      .then(function () { el.removeAttribute("data-live-busy"); });
  }

  function tick() {
    if (document.visibilityState !== "visible") return;
    var list = document.querySelectorAll("[data-live-url]");
    for (var i = 0; i < list.length; i++) poll(list[i]);
  }

  setInterval(tick, interval);
  document.addEventListener("visibilitychange", tick);
  window.SinergiLive = { tick: tick, isBusy: isBusy };
})();
