// Keeps the server-written "time left" text of a deadline ticking. Without this script
// the page still shows the deadline and the time left when it was loaded.
(function () {
  "use strict";

  // "1 day" or "2 days": data-unit-d holds "singular|plural" with {n} for the number
  // (English and Dutch use the singular for exactly one).
  function unit(element, name, count) {
    var forms = (element.dataset["unit" + name.toUpperCase()] || "{n}|{n}").split("|");
    return (count === 1 ? forms[0] : forms[1]).replace("{n}", String(count));
  }

  function render(element, deadline) {
    var left = Math.floor((deadline - Date.now()) / 1000);
    if (left <= 0) {
      element.textContent = element.dataset.passed;
      return false;
    }
    // Under a day the sentence leaves the days out ("0 days" says nothing).
    var template = left >= 86400 ? element.dataset.template : element.dataset.templateShort || element.dataset.template;
    element.textContent = template
      .replace("{d}", unit(element, "d", Math.floor(left / 86400)))
      .replace("{h}", unit(element, "h", Math.floor((left % 86400) / 3600)))
      .replace("{m}", unit(element, "m", Math.floor((left % 3600) / 60)))
      .replace("{s}", unit(element, "s", left % 60));
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
