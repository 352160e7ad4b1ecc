// Tipline dashboard: confirmations, keyboard shortcuts, live updates and
// drafts that survive a session expiry. Everything works without this file;
// it only saves clicks and keeps the page current.
"use strict";

// Forms (or the button pressed) with data-confirm ask before submitting.
document.addEventListener("submit", function (e) {
  var button = e.submitter;
  var msg = (button && button.getAttribute("data-confirm")) || e.target.getAttribute("data-confirm");
  if (msg && !window.confirm(msg)) {
    e.preventDefault();
    return;
  }
  markPending(e.target);
});

// Queue: j/k move between rows, Enter opens, "/" focuses the search.
document.addEventListener("keydown", function (e) {
  var tag = (e.target.tagName || "").toLowerCase();
  if (tag === "input" || tag === "textarea" || tag === "select" || e.ctrlKey || e.metaKey || e.altKey) {
    return;
  }
  var rows = Array.prototype.slice.call(document.querySelectorAll("table.queue tbody tr"));
  var current = document.querySelector("table.queue tr.current");
  var i = rows.indexOf(current);
  if (e.key === "/") {
    var s = document.getElementById("search");
    if (s) { e.preventDefault(); s.focus(); }
  } else if ((e.key === "j" || e.key === "k") && rows.length) {
    if (current) { current.classList.remove("current"); }
    i = e.key === "j" ? Math.min(i + 1, rows.length - 1) : Math.max(i - 1, 0);
    rows[i].classList.add("current");
    rows[i].scrollIntoView({ block: "nearest" });
  } else if (e.key === "Enter" && current) {
    window.location.href = current.getAttribute("data-href");
  }
});

// ---- Drafts: a reply or note being typed is kept in sessionStorage (this
// tab only, gone when it closes) until the server confirms it was saved. If
// the session expired meanwhile, the login page brings the officer back here
// and the text is put back.
function draftKey(el) {
  return "draft:" + window.location.pathname + ":" + el.id;
}

function store() {
  try { return window.sessionStorage; } catch (err) { return null; }
}

document.addEventListener("input", function (e) {
  var s = store();
  if (s && e.target.tagName === "TEXTAREA" && e.target.id) {
    s.setItem(draftKey(e.target), e.target.value);
  }
});

function markPending(form) {
  var s = store();
  if (!s) { return; }
  Array.prototype.forEach.call(form.querySelectorAll("textarea[id]"), function (t) {
    if (t.value) {
      s.setItem(draftKey(t), t.value);
      s.setItem("pending:" + draftKey(t), "1");
    }
  });
}

function restoreDrafts() {
  var s = store();
  if (!s || document.querySelector("form[action='/login']")) { return; }
  // A green message means the last form went through: its draft is done.
  var saved = document.querySelector("p.flash");
  Array.prototype.forEach.call(document.querySelectorAll("textarea[id]"), function (t) {
    var key = draftKey(t);
    var text = s.getItem(key);
    if (text === null) { return; }
    if (saved && s.getItem("pending:" + key)) {
      s.removeItem(key);
      s.removeItem("pending:" + key);
    } else if (!t.value) {
      // Not sent (the session had ended): put it back, and keep it until it is.
      t.value = text;
      t.classList.add("restored");
      s.removeItem("pending:" + key);
    }
  });
}

// ---- Live updates. The queue re-reads its own URL and swaps the parts
// marked data-live (the list is left alone while rows are ticked or a field
// in it has focus). A new urgent tip raises an alert, and a browser
// notification with no tip text if the officer allowed them.
var LIVE_MS = 5000;

function urgentAlert(fresh) {
  var box = document.getElementById("live-alert");
  if (!box || !fresh) { return; }
  var before = Number(box.getAttribute("data-urgent") || 0);
  var now = Number(fresh.getAttribute("data-urgent") || 0);
  box.setAttribute("data-urgent", String(now));
  if (now > before) {
    box.textContent = box.getAttribute("data-text");
    box.hidden = false;
    if (window.Notification && Notification.permission === "granted") {
      try { new Notification("Tipline", { body: box.getAttribute("data-text") }); } catch (err) { /* optional */ }
    }
  }
}

function busy(el) {
  return el.querySelector("input[type=checkbox]:checked") || el.contains(document.activeElement);
}

function refreshQueue() {
  fetch(window.location.href, { credentials: "same-origin", redirect: "manual" })
    .then(function (r) { return r.ok ? r.text() : null; })
    .then(function (html) {
      if (!html) { return; }
      var doc = new DOMParser().parseFromString(html, "text/html");
      urgentAlert(doc.getElementById("live-alert"));
      Array.prototype.forEach.call(document.querySelectorAll("[data-live][id]"), function (el) {
        var fresh = doc.getElementById(el.id);
        if (fresh && !busy(el) && fresh.innerHTML !== el.innerHTML) {
          el.replaceWith(document.importNode(fresh, true));
        }
      });
      bulkFields();
    })
    .catch(function () { /* offline for a moment: try again next time */ });
}

function watchTip(note) {
  fetch(note.getAttribute("data-poll"), { credentials: "same-origin", redirect: "manual" })
    .then(function (r) { return r.ok ? r.text() : null; })
    .then(function (t) {
      if (t !== null && Number(t) > Number(note.getAttribute("data-last"))) {
        note.hidden = false;
      }
    })
    .catch(function () { /* try again next time */ });
}

function startLive() {
  if (document.querySelector("[data-live]")) {
    window.setInterval(refreshQueue, LIVE_MS);
  }
  var note = document.getElementById("tip-live");
  if (note) {
    window.setInterval(function () { watchTip(note); }, LIVE_MS);
  }
  var ask = document.getElementById("notify");
  if (ask && window.Notification && Notification.permission === "default") {
    ask.hidden = false;
    ask.addEventListener("click", function () { Notification.requestPermission(); ask.hidden = true; });
  }
}

// ---- Bulk actions: ticking a row or a suggested duplicate is enough; the
// fields that do not apply to the chosen action are hidden.
function bulkFields() {
  var action = document.getElementById("bulk-action");
  if (!action) { return; }
  var form = action.form;
  var show = function () {
    var v = action.value;
    form.querySelector("[name=primary]").hidden = v !== "duplicate";
    form.querySelector("[name=label]").hidden = v !== "label";
    var officer = form.querySelector("[name=officer]");
    if (officer) { officer.hidden = v !== "assign"; }
  };
  action.addEventListener("change", show);
  show();
}

document.addEventListener("DOMContentLoaded", function () {
  restoreDrafts();
  startLive();
  bulkFields();
});
