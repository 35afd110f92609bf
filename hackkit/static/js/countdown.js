// Keeps the server-written "time left" text of a deadline ticking. Without this script
// the page still shows the deadline and the time left when it was loaded.
(function () {
  "use strict";

  function render(element, deadline) {
    var left = Math.floor((deadline - Date.now()) / 1000);
    if (left <= 0) {
      element.textContent = element.dataset.passed;
      return false;
    }
    element.textContent = element.dataset.template
      .replace("{d}", String(Math.floor(left / 86400)))
      .replace("{h}", String(Math.floor((left % 86400) / 3600)))
      .replace("{m}", String(Math.floor((left % 3600) / 60)))
      .replace("{s}", String(left % 60));
    return true;
  }

  function start(element) {
    var deadline = Date.parse(element.dataset.countdown);
    if (isNaN(deadline)) {
      return;
    }
    // Screen readers are not told every second; they read the text when they reach it.
    element.setAttribute("aria-live", "off");
    if (!render(element, deadline)) {
      return;
    }
    var timer = window.setInterval(function () {
      if (!render(element, deadline)) {
        window.clearInterval(timer);
      }
    }, 1000);
  }

  document.querySelectorAll("[data-countdown]").forEach(start);
})();
