// @mention autocomplete for <textarea data-mention-url="...">: typing @ and a few letters lists the
// programme's members; choosing one inserts @[Full Name]. Names go in as text, never as HTML.
(function () {
  "use strict";
  var list = null, items = [], active = 0, box = null, timer = null;

  function close() {
    if (list) list.remove();
    if (box) { box.removeAttribute("aria-controls"); box.removeAttribute("aria-activedescendant"); }
    list = null; items = []; box = null;
  }

  function query(textarea) {
    var before = textarea.value.slice(0, textarea.selectionStart);
    var m = /(^|\s)@([^\s@\[\]]{0,30})$/.exec(before);
    return m ? { text: m[2], start: before.length - m[2].length - 1 } : null;
  }

  function choose(i) {
    var textarea = box, person = items[i];
    if (!textarea || !person) return;
    var q = query(textarea);
    close();
    if (!q) return;
    var insert = person.mention + " ";
    var end = textarea.selectionStart;
    textarea.value = textarea.value.slice(0, q.start) + insert + textarea.value.slice(end);
    var caret = q.start + insert.length;
    textarea.setSelectionRange(caret, caret);
    textarea.focus();
    textarea.dispatchEvent(new Event("input", { bubbles: true }));  // the draft keeps it too
  }

  function highlight() {
    if (!list) return;
    var options = list.querySelectorAll("[role=option]");
    for (var i = 0; i < options.length; i++) options[i].setAttribute("aria-selected", i === active ? "true" : "false");
    if (box && options[active]) box.setAttribute("aria-activedescendant", options[active].id);
  }

  function show(textarea, people) {
    close();
    if (!people.length) return;
    box = textarea; items = people; active = 0;
    list = document.createElement("ul");
    list.className = "mention-list";
    list.id = textarea.id + "-mentions";
    list.setAttribute("role", "listbox");
    textarea.setAttribute("aria-controls", list.id);
    people.forEach(function (p, i) {
      var li = document.createElement("li");
      li.setAttribute("role", "option");
      li.id = list.id + "-" + i;
      var name = document.createElement("span");
      name.textContent = p.name;
      var badge = document.createElement("span");
      badge.className = "badge badge-" + p.element;
      badge.textContent = p.element_label;
      var org = document.createElement("span");
      org.className = "muted";
      org.textContent = " " + p.organisation;
      li.appendChild(name); li.appendChild(document.createTextNode(" ")); li.appendChild(badge); li.appendChild(org);
      li.addEventListener("mousedown", function (event) { event.preventDefault(); choose(i); });
      list.appendChild(li);
    });
    textarea.insertAdjacentElement("afterend", list);
    highlight();
  }

  document.addEventListener("input", function (event) {
    var textarea = event.target;
    if (!textarea.matches || !textarea.matches("textarea[data-mention-url]")) return;
    var q = query(textarea);
    if (!q) return close();
    clearTimeout(timer);
    timer = setTimeout(function () {
      var url = textarea.getAttribute("data-mention-url") + "?q=" + encodeURIComponent(q.text);
      fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
        .then(function (r) { return r.ok ? r.json() : []; })
        .then(function (people) { if (query(textarea)) show(textarea, people); })
        .catch(close);
    }, 150);
  });

  document.addEventListener("keydown", function (event) {
    if (!list || event.target !== box) return;
    if (event.key === "ArrowDown") { active = (active + 1) % items.length; highlight(); event.preventDefault(); }
    else if (event.key === "ArrowUp") { active = (active - 1 + items.length) % items.length; highlight(); event.preventDefault(); }
    else if (event.key === "Enter" || event.key === "Tab") { choose(active); event.preventDefault(); }
    else if (event.key === "Escape") { close(); }
  });

  document.addEventListener("focusout", function (event) { if (event.target === box) setTimeout(close, 150); });
})();
