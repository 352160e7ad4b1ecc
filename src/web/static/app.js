// Tipline dashboard: confirmations and keyboard shortcuts. Everything works
// without this file; it only saves clicks.
"use strict";

// Forms with data-confirm (close, transfer, reset) ask before submitting.
document.addEventListener("submit", function (e) {
  var msg = e.target.getAttribute("data-confirm");
  if (msg && !window.confirm(msg)) {
    e.preventDefault();
  }
});

// Queue: j/k move between rows, Enter opens, "/" focuses the reference search.
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
