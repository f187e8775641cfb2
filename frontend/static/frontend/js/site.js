// Behaviour the templates ask for by data attributes (the Content-Security-Policy allows no inline script):
// <select data-autosubmit> submits its form on change; <button data-print> prints the page.
document.addEventListener("change", function (event) {
  if (event.target.matches && event.target.matches("[data-autosubmit]") && event.target.form) {
    event.target.form.submit();
  }
});
document.addEventListener("click", function (event) {
  if (event.target.closest && event.target.closest("[data-print]")) {
    window.print();
  }
});

// Wide tables (frontend/css/site.css): on a phone each row of a list becomes a card, each cell labelled by its
// column's header (data-label, copied here from the header row); where a table still scrolls sideways, its
// scrolling box takes the keyboard focus so that it can be scrolled without a mouse.
document.addEventListener("DOMContentLoaded", function () {
  document.querySelectorAll(".table-wrap table.grid").forEach(function (table) {
    var headers = Array.prototype.map.call(table.querySelectorAll("thead th"), function (th) {
      return th.textContent.trim();
    });
    table.querySelectorAll("tbody tr").forEach(function (row) {
      Array.prototype.forEach.call(row.children, function (cell, index) {
        if (headers[index] && !cell.hasAttribute("data-label")) { cell.setAttribute("data-label", headers[index]); }
      });
    });
  });
  document.querySelectorAll(".table-wrap, .table-scroll").forEach(function (box) {
    if (!box.hasAttribute("tabindex")) { box.setAttribute("tabindex", "0"); }
    if (!box.hasAttribute("role")) { box.setAttribute("role", "region"); }
    if (!box.hasAttribute("aria-label")) {
      var caption = box.querySelector("caption");
      var heading = box.closest("section") && box.closest("section").querySelector("h1, h2, h3");
      box.setAttribute("aria-label", (caption || heading || document.querySelector("h1") || {}).textContent || "表格");
    }
  });
});

// The grouped navigation folds away on a phone behind "菜单" (frontend/base.html; CSS shows it whole on a desk).
document.addEventListener("click", function (event) {
  var toggle = event.target.closest && event.target.closest("[data-nav-toggle]");
  if (!toggle) { return; }
  var open = toggle.getAttribute("aria-expanded") !== "true";
  toggle.setAttribute("aria-expanded", open ? "true" : "false");
  toggle.closest(".mainnav").classList.toggle("open", open);
});
