// Create forms (those carrying a one-time submission token) are sent once: after the first
// submit their buttons are disabled, so a double click sends one POST. The server refuses a
// repeat anyway (assessments.submissions); this only spares the second request.
(function () {
  "use strict";

  var TOKEN = 'input[name="submission_token"]';
  var BUTTONS = 'button[type="submit"], button:not([type]), input[type="submit"]';

  function setButtons(form, disabled) {
    form.querySelectorAll(BUTTONS).forEach(function (button) {
      button.disabled = disabled;
    });
  }

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.querySelector(TOKEN)) {
      return;
    }
    if (form.dataset.sent === "1") {
      event.preventDefault();
      return;
    }
    form.dataset.sent = "1";
    // Disabled once the browser has read the form, so the pressed button still counts.
    window.setTimeout(function () {
      setButtons(form, true);
    }, 0);
  });

  // A page restored by the back button may be sent again; the server answers a repeat of the
  // same form (same token) with what the first one created.
  window.addEventListener("pageshow", function (event) {
    if (!event.persisted) {
      return;
    }
    document.querySelectorAll("form[data-sent]").forEach(function (form) {
      delete form.dataset.sent;
      setButtons(form, false);
    });
  });
})();
