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
