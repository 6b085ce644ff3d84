// Nothing typed is lost: every <textarea data-draft="name"> is kept in localStorage (keyed by its
// name, which names the object: "comment-form-programme-3", "edit-17", "unit-12", "minutes-4") while
// it is written, and put back when the page is opened again. The draft is forgotten only when the
// server confirms the save (the sinergi_saved_draft cookie carries the draft id, see
// app/collab/drafts.py): an expired login, a refused form or a dropped connection keep the text,
// and after signing in again it is back in its box, ready to send.
//
// Co-edited text (a unit, the minutes) also keeps the form's [data-draft-keep] fields, i.e. the
// revision the text was started from: a restored text is saved against that revision, so the
// server merges it with what others saved meanwhile instead of overwriting it. A box marked
// data-draft-replace (the merged proposal of a conflict) is the new starting point and is not
// replaced by an older draft. A [data-draft-resume="name"] link (a unit's Edit) is followed by
// itself when that draft is waiting, so the editor comes back open with the text. A
// [data-draft-discard] button in the form lets the person drop a restored text.
(function () {
  "use strict";
  var PREFIX = "sinergi:draft:";
  var COOKIE = "sinergi_saved_draft";
  var MAX_AGE = 30 * 24 * 3600 * 1000;

  function store() { try { return window.localStorage; } catch (e) { return null; } }
  function read(key) { try { return JSON.parse(store().getItem(key)); } catch (e) { return null; } }
  function write(key, value) { try { store().setItem(key, JSON.stringify(value)); } catch (e) { /* full or disabled */ } }
  function remove(key) { try { store().removeItem(key); } catch (e) { /* disabled */ } }
  function newId() { return Date.now().toString(36) + "-" + Math.random().toString(36).slice(2, 10); }
  // Not keyed by location: a boosted navigation swaps the page in before the address changes.
  function keyFor(textarea) { return PREFIX + textarea.getAttribute("data-draft"); }
  function idField(textarea) { return textarea.form ? textarea.form.querySelector("[data-draft-id]") : null; }

  function say(textarea, which) {
    var form = textarea.form;
    var el = form && form.querySelector(".draft-status");
    if (el) el.textContent = which === "restored" ? (el.getAttribute("data-restored") || "") : "";
    var discard = form && form.querySelector("[data-draft-discard]");
    if (discard) discard.hidden = which !== "restored";
  }

  function kept(textarea) {
    var out = {}, fields = textarea.form ? textarea.form.querySelectorAll("[data-draft-keep]") : [];
    for (var i = 0; i < fields.length; i++) out[fields[i].name] = fields[i].value;
    return out;
  }

  function restoreKept(textarea, values) {
    if (!values || !textarea.form) return;
    var fields = textarea.form.querySelectorAll("[data-draft-keep]");
    for (var i = 0; i < fields.length; i++) {
      if (!Object.prototype.hasOwnProperty.call(values, fields[i].name)) continue;
      // A hidden field's default follows its value: remember what the page gave, for discarding.
      if (!fields[i].hasAttribute("data-draft-original")) fields[i].setAttribute("data-draft-original", fields[i].value);
      fields[i].value = values[fields[i].name];
    }
  }

  function remember(textarea) {
    var key = keyFor(textarea);
    if (textarea.value.trim()) {
      write(key, { text: textarea.value, id: textarea.getAttribute("data-draft-id-value"), keep: kept(textarea), at: Date.now() });
    } else {
      remove(key);
    }
  }

  function setup(textarea) {
    if (textarea.hasAttribute("data-draft-ready")) return;
    textarea.setAttribute("data-draft-ready", "");
    var key = keyFor(textarea);
    var saved = read(key);
    if (saved && Date.now() - (saved.at || 0) > MAX_AGE) { remove(key); saved = null; }
    var field = idField(textarea);
    var id = (saved && saved.id) || newId();
    if (field) field.value = id;
    textarea.setAttribute("data-draft-id-value", id);
    if (textarea.hasAttribute("data-draft-replace")) {  // a conflict's merged proposal: the new starting point
      remember(textarea);
      return;
    }
    if (saved && saved.text && saved.text !== textarea.value) {
      textarea.value = saved.text;
      restoreKept(textarea, saved.keep);
      var details = textarea.closest("details");
      if (details) details.open = true;
      say(textarea, "restored");
    }
  }

  function resume(root) {
    var links = (root || document).querySelectorAll("[data-draft-resume]:not([data-draft-resumed])");
    for (var i = 0; i < links.length; i++) {
      var saved = read(PREFIX + links[i].getAttribute("data-draft-resume"));
      if (saved && saved.text) {
        links[i].setAttribute("data-draft-resumed", "");
        links[i].click();  // htmx opens the editor in place; without htmx the link opens its page
      }
    }
  }

  function scan(root) {
    var list = (root || document).querySelectorAll("textarea[data-draft]");
    for (var i = 0; i < list.length; i++) setup(list[i]);
  }

  document.addEventListener("input", function (event) {
    var textarea = event.target;
    if (!textarea.matches || !textarea.matches("textarea[data-draft]")) return;
    setup(textarea);
    remember(textarea);
  });

  // <a data-discard-draft="name">: the person gave up on the text (Cancel). A discard button of the
  // form also puts the box back as the page gave it.
  document.addEventListener("click", function (event) {
    var link = event.target.closest && event.target.closest("[data-discard-draft]");
    if (!link) return;
    remove(PREFIX + link.getAttribute("data-discard-draft"));
    if (!link.hasAttribute("data-draft-discard") || !link.form) return;
    var boxes = link.form.querySelectorAll("textarea[data-draft]"), fields = link.form.querySelectorAll("[data-draft-keep]");
    for (var i = 0; i < boxes.length; i++) { boxes[i].value = boxes[i].defaultValue; say(boxes[i], ""); }
    for (var j = 0; j < fields.length; j++) {
      var original = fields[j].getAttribute("data-draft-original");
      if (original !== null) fields[j].value = original;
    }
  });

  function savedId() {
    var match = document.cookie.match(new RegExp("(?:^|; )" + COOKIE + "=([^;]*)"));
    return match ? decodeURIComponent(match[1]) : null;
  }

  // The server confirmed a save: forget that draft (wherever it was typed), reset its form.
  function confirmSaved() {
    var id = savedId();
    if (!id) return;
    document.cookie = COOKIE + "=; Max-Age=0; Path=/; SameSite=Lax";
    var s = store();
    if (s) {
      for (var i = s.length - 1; i >= 0; i--) {
        var key = s.key(i);
        if (key && key.indexOf(PREFIX) === 0) {
          var value = read(key);
          if (value && value.id === id) remove(key);
        }
      }
    }
    var boxes = document.querySelectorAll('textarea[data-draft-id-value="' + id.replace(/[^A-Za-z0-9_-]/g, "") + '"]');
    for (var j = 0; j < boxes.length; j++) {
      var form = boxes[j].form;
      if (form && form.hasAttribute("data-reset-on-success")) {
        form.reset();
        var next = newId();
        boxes[j].setAttribute("data-draft-id-value", next);
        var field = idField(boxes[j]);
        if (field) field.value = next;
        say(boxes[j], "");
      }
    }
  }

  document.addEventListener("htmx:afterRequest", confirmSaved);
  document.addEventListener("htmx:load", function (event) { scan(event.target); resume(event.target); });
  document.addEventListener("sinergi:content", function (event) { scan(event.target); });
  document.addEventListener("DOMContentLoaded", function () { confirmSaved(); scan(document); resume(document); });
})();

// The draft's text comes in parts (app/drafts/parts.py): a placeholder loads its part by itself when
// it scrolls into view (hx-trigger="intersect once, draft-part" in templates/drafts/show.html). A
// link to a unit of a part that is not loaded yet (the outline, a cross-reference:
// "?at=<part>#unit-<id>") loads that part in place and then scrolls to the unit, instead of
// opening the page again; without JavaScript the link opens the page at that part. An address with
// "#unit-<id>" alone (an older link, a bookmark) whose unit is in another part is opened at it.
(function () {
  "use strict";
  var wanted = null;

  function onDraftPage() { return !!document.querySelector("#units .draft-part"); }

  function go(id) {
    var target = document.getElementById(id);
    if (!target) return false;
    if (location.hash === "#" + id) target.scrollIntoView(); else location.hash = id;
    return true;
  }

  document.addEventListener("click", function (event) {
    if (event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
    var link = event.target.closest && event.target.closest("a[href*='#unit-']");
    if (!link || link.pathname !== location.pathname || !onDraftPage()) return;
    var id = link.hash.slice(1);
    if (document.getElementById(id)) {
      if (link.search === location.search) return;  // a plain jump within the page
      event.preventDefault();
      go(id);
      return;
    }
    var at = new URLSearchParams(link.search).get("at");
    var holder = at && document.getElementById("part-" + at);
    if (!holder || !holder.classList.contains("draft-part-waiting") || !window.htmx) return;
    event.preventDefault();
    wanted = id;
    window.htmx.trigger(holder, "draft-part");
  });

  document.addEventListener("htmx:load", function () {
    if (wanted && go(wanted)) wanted = null;
  });

  function locate() {
    var match = /^#unit-(\d+)$/.exec(location.hash);
    if (!match || document.getElementById(location.hash.slice(1)) || !document.querySelector("#units .draft-part-waiting")) return;
    var url = new URL(location.href);
    if (url.searchParams.get("at") === match[1]) return;  // asked for already: the unit is gone
    url.searchParams.set("at", match[1]);
    location.replace(url.toString());
  }

  document.addEventListener("DOMContentLoaded", locate);
  // A boosted navigation lands on the page with its hash once the new body has settled.
  document.addEventListener("htmx:afterSettle", function (event) {
    if (event.detail && event.detail.boosted) setTimeout(locate, 0);
  });
})();
