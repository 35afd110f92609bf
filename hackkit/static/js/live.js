// The projector view and its presenter: ask the server for the state every few seconds and
// draw it, count down to the next moment of the schedule, and (presenter) step the ceremony
// with the keyboard. Our own code, no library: the hall's network may have no internet.
(function () {
  "use strict";

  var root = document.querySelector("[data-live]");
  if (!root) {
    return;
  }
  var presenter = root.hasAttribute("data-presenter");
  var pollMs = Math.max(1, Number(root.dataset.poll || 3)) * 1000;

  function $(selector) {
    return root.querySelector(selector);
  }

  function fill(template, values) {
    return template.replace(/\{(\w+)\}/g, function (_all, key) {
      return values[key] === undefined ? "" : String(values[key]);
    });
  }

  function plural(element, prefix, count) {
    var key = count === 1 ? prefix + "One" : prefix + "Many";
    return fill(element.dataset[key] || "{n}", { n: count });
  }

  function item(className, text) {
    var li = document.createElement("li");
    if (className) {
      li.className = className;
    }
    li.textContent = text;
    return li;
  }

  // Countdown -------------------------------------------------------------------------------

  var clock = $("[data-live-clock]");

  function pad(n) {
    return (n < 10 ? "0" : "") + n;
  }

  function tick() {
    if (!clock || !clock.dataset.at) {
      return;
    }
    var left = Math.floor((Date.parse(clock.dataset.at) - Date.now()) / 1000);
    if (isNaN(left)) {
      return;
    }
    left = Math.max(0, left);
    var days = Math.floor(left / 86400);
    var text = pad(Math.floor((left % 86400) / 3600)) + ":" + pad(Math.floor((left % 3600) / 60)) + ":" + pad(left % 60);
    clock.textContent = (days ? plural(clock, "day", days) + " " : "") + text;
  }

  // Drawing the state -----------------------------------------------------------------------

  function drawDashboard(state) {
    var milestone = $("[data-live-milestone]");
    milestone.hidden = !state.milestone;
    if (state.milestone) {
      $("[data-live-milestone-label]").textContent = state.milestone.label;
      clock.dataset.at = state.milestone.at;
      tick();
    }
    $("[data-live-teams]").textContent = state.teams;
    $("[data-live-submitted]").textContent = state.submitted;
    var news = $("[data-live-announcements]");
    news.textContent = "";
    if (!state.announcements.length) {
      var empty = document.createElement("p");
      empty.textContent = news.dataset.empty;
      news.appendChild(empty);
    }
    state.announcements.forEach(function (announcement) {
      var article = document.createElement("article");
      article.className = "live-announcement";
      // Rendered by the server through the one Markdown sanitiser, as on the event page.
      article.innerHTML = announcement.html;
      news.appendChild(article);
    });
    var datasets = $("[data-live-datasets]");
    datasets.textContent = "";
    if (!state.datasets.length) {
      datasets.appendChild(item("live-empty", datasets.dataset.empty));
    }
    state.datasets.forEach(function (dataset) {
      var li = item("", dataset.title + " ");
      var count = document.createElement("span");
      count.className = "live-meta";
      count.textContent = "(" + plural(datasets, "count", dataset.projects) + ")";
      li.appendChild(count);
      datasets.appendChild(li);
    });
  }

  function drawCeremony(c) {
    var stage = $("[data-live-ceremony]");
    var prize = c.prize;
    $("[data-live-step]").textContent = prize ? fill(stage.dataset.of, { n: c.number, count: c.count }) : "";
    $("[data-live-prize]").textContent = prize ? prize.name : "";
    var meta = prize ? [prize.value, prize.challenge].filter(Boolean).join(" · ") : "";
    $("[data-live-prize-meta]").textContent = meta;
    $("[data-live-sponsor]").textContent = prize && prize.sponsor ? fill(stage.dataset.givenBy, { sponsor: prize.sponsor }) : "";
    var logo = $("[data-live-logo]");
    if (prize && prize.logo) {
      logo.src = fill(logo.dataset.srcTemplate, { id: prize.id });
      logo.alt = fill(stage.dataset.logoAlt, { sponsor: prize.sponsor || prize.name });
      logo.hidden = false;
    } else {
      logo.hidden = true;
      logo.removeAttribute("src");
    }
    var winners = $("[data-live-winners]");
    winners.textContent = "";
    if (!prize) {
      return;
    }
    if (!c.revealed && !presenter) {
      winners.appendChild(item("live-empty", stage.dataset.waiting));
      return;
    }
    if (!c.winners.length) {
      winners.appendChild(item("live-empty", stage.dataset.notAwarded));
    }
    c.winners.forEach(function (winner) {
      var li = document.createElement("li");
      [["live-winner-title", winner.title], ["live-winner-team", winner.team], ["live-winner-reason", winner.reason]].forEach(
        function (part) {
          if (part[1]) {
            var span = document.createElement("span");
            span.className = part[0];
            span.textContent = part[1];
            li.appendChild(span);
            li.appendChild(document.createTextNode(" "));
          }
        }
      );
      winners.appendChild(li);
    });
  }

  function drawPresenter(c) {
    var status = $("[data-presenter-status]");
    status.textContent = !c ? status.dataset.idle : c.revealed ? status.dataset.revealed : status.dataset.shown;
    var next = $("[data-presenter-next]");
    next.textContent = !c ? "" : c.next ? c.next.name : next.dataset.none;
    root.querySelectorAll("[data-running]").forEach(function (button) {
      button.hidden = !c;
    });
    $("[data-start]").hidden = Boolean(c);
  }

  function draw(state) {
    var c = state.ceremony;
    $("[data-live-dashboard]").hidden = Boolean(c);
    $("[data-live-ceremony]").hidden = !c;
    drawDashboard(state);
    if (c) {
      drawCeremony(c);
    }
    if (presenter) {
      drawPresenter(c);
    }
    root.dataset.step = c ? String(c.step) : "";
  }

  // Polling ---------------------------------------------------------------------------------

  var busy = false;

  function refresh() {
    if (busy) {
      return;
    }
    busy = true;
    fetch(root.dataset.liveUrl, { headers: { Accept: "application/json" }, credentials: "same-origin", cache: "no-store" })
      .then(function (response) {
        return response.ok ? response.json() : null;
      })
      .then(function (state) {
        if (state) {
          draw(state);
        }
      })
      .catch(function () {
        // The venue's network dropped for a moment: keep what is shown, ask again later.
      })
      .then(function () {
        busy = false;
      });
  }

  // Presenter: buttons and keys -------------------------------------------------------------

  function step(action) {
    var form = root.querySelector("[data-step-form]");
    var body = new FormData(form);
    body.set("action", action);
    return fetch(root.dataset.stepUrl, {
      method: "POST",
      body: body,
      headers: { Accept: "application/json" },
      credentials: "same-origin",
    })
      .then(function (response) {
        return response.ok ? response.json() : null;
      })
      .then(function (state) {
        if (state) {
          draw(state);
        }
      });
  }

  if (presenter) {
    root.querySelector("[data-step-form]").addEventListener("submit", function (event) {
      var action = event.submitter && event.submitter.value;
      if (action) {
        event.preventDefault();
        step(action);
      }
    });
    document.addEventListener("keydown", function (event) {
      var target = event.target;
      var tag = target && target.tagName;
      if (event.altKey || event.ctrlKey || event.metaKey || /^(INPUT|TEXTAREA|SELECT)$/.test(tag || "")) {
        return; // keys in a field do what they always do
      }
      var inControls = target && target.closest && target.closest("[data-step-form]");
      if (event.key === " " && /^(BUTTON|A)$/.test(tag || "") && !inControls) {
        return; // Space on another button or link presses it
      }
      if (!root.dataset.step) {
        return;
      }
      if (event.key === "ArrowRight" || event.key === " " || event.key === "PageDown") {
        event.preventDefault();
        step("next");
      } else if (event.key === "ArrowLeft" || event.key === "PageUp") {
        event.preventDefault();
        step("previous");
      }
    });
  } else {
    document.addEventListener("keydown", function (event) {
      if ((event.key === "f" || event.key === "F") && document.documentElement.requestFullscreen) {
        if (document.fullscreenElement) {
          document.exitFullscreen();
        } else {
          document.documentElement.requestFullscreen().catch(function () {});
        }
      }
    });
  }

  var initial = root.querySelector("[data-live-ceremony]");
  root.dataset.step = initial && !initial.hidden ? "running" : "";
  tick();
  window.setInterval(tick, 1000);
  window.setInterval(refresh, pollMs);
})();
