// A station's touch screen (frontend/views/public/kiosk.py). After data-kiosk-idle seconds without a touch or
// a key, every field typed in is emptied and the screen goes back to its start, replacing this page in the
// history so that "back" brings nothing back. The server keeps no session for these pages.
(function () {
  "use strict";
  var body = document.body;
  var home = body.getAttribute("data-kiosk-home") || "/";
  var seconds = parseInt(body.getAttribute("data-kiosk-idle"), 10) || 60;
  var timer = null;

  function clearForms() {
    Array.prototype.forEach.call(document.forms, function (form) {
      Array.prototype.forEach.call(form.elements, function (field) {
        var type = (field.type || "").toLowerCase();
        if (type === "hidden" || type === "submit" || type === "button" || field.tagName === "BUTTON") {
          return;
        }
        if (type === "checkbox" || type === "radio") {
          field.checked = false;
        } else if (field.tagName === "SELECT") {
          field.selectedIndex = 0;
        } else {
          field.value = "";
        }
      });
    });
  }

  function backToStart() {
    clearForms();
    try { window.sessionStorage.clear(); window.localStorage.clear(); } catch (e) { /* storage disabled */ }
    window.location.replace(home);
  }

  function arm() {
    window.clearTimeout(timer);
    timer = window.setTimeout(backToStart, seconds * 1000);
  }

  // Full screen from the first touch (browsers allow it only after one); a kiosk browser started in its own
  // kiosk mode is full screen already.
  document.addEventListener("pointerdown", function () {
    var root = document.documentElement;
    if (!document.fullscreenElement && root.requestFullscreen) {
      root.requestFullscreen().catch(function () { /* refused: stay as we are */ });
    }
  }, { once: true });

  ["pointerdown", "touchstart", "keydown", "input", "wheel"].forEach(function (name) {
    document.addEventListener(name, arm, { capture: true, passive: true });
  });
  // A page brought back from the browser's cache (back button) is cleared at once.
  window.addEventListener("pageshow", function (event) {
    if (event.persisted) { clearForms(); }
    arm();
  });
  arm();
})();
