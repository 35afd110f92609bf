// Small helpers for the hub's forms and header. Every page works without this script; it
// only adds conveniences (no inline script: the Content-Security-Policy forbids it).
(function () {
  "use strict";

  // A form that came back with problems: put the focus on the summary of problems, so a
  // keyboard or screen-reader user starts there, and make its links focus their field.
  function focusErrorSummary() {
    var summary = document.querySelector("[data-error-summary]");
    if (!summary) {
      return;
    }
    summary.focus();
    summary.addEventListener("click", function (event) {
      var link = event.target.closest("a[data-field]");
      if (!link) {
        return;
      }
      var target = document.getElementById(link.dataset.field);
      if (!target) {
        return;
      }
      // A list of checkboxes has the id on its list: focus its first box.
      var input = target.matches("input, select, textarea") ? target : target.querySelector("input, select, textarea");
      event.preventDefault();
      (input || target).focus();
      (input || target).scrollIntoView({ block: "center" });
    });
  }

  // "Copy" buttons: data-copy names the id of the field whose value is copied.
  function setUpCopyButtons() {
    document.querySelectorAll("[data-copy]").forEach(function (button) {
      var source = document.getElementById(button.dataset.copy);
      var status = document.getElementById(button.dataset.copyStatus);
      if (!source) {
        return;
      }
      button.hidden = false; // without the script the button would do nothing, so it starts hidden
      button.addEventListener("click", function () {
        function copied() {
          if (status) {
            status.textContent = button.dataset.copied;
          }
        }
        source.select();
        if (navigator.clipboard && window.isSecureContext) {
          navigator.clipboard.writeText(source.value).then(copied, function () {
            document.execCommand("copy");
            copied();
          });
        } else {
          document.execCommand("copy");
          copied();
        }
      });
    });
  }

  // The header menu on small screens: a disclosure button shows and hides the navigation.
  function setUpMenu() {
    var button = document.querySelector("[data-menu-button]");
    if (!button) {
      return;
    }
    var menu = document.getElementById(button.getAttribute("aria-controls"));
    if (!menu) {
      return;
    }
    document.documentElement.classList.add("has-menu-script");
    button.hidden = false;
    button.addEventListener("click", function () {
      var open = button.getAttribute("aria-expanded") === "true";
      button.setAttribute("aria-expanded", open ? "false" : "true");
    });
    document.addEventListener("keydown", function (event) {
      if (event.key === "Escape" && button.getAttribute("aria-expanded") === "true") {
        button.setAttribute("aria-expanded", "false");
        button.focus();
      }
    });
  }

  // A web address made from a title ("Gent fietst 2026!" -> "gent-fietst-2026"), filled in
  // while the person types the title, until they edit the address themselves.
  function slugify(text) {
    return text
      .normalize("NFD")
      .replace(/[\u0300-\u036f]/g, "")
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, "-")
      .replace(/^-+|-+$/g, "")
      .slice(0, 80)
      .replace(/-+$/, "");
  }

  function setUpSlugs() {
    document.querySelectorAll("[data-slug-from]").forEach(function (slug) {
      var source = document.getElementById(slug.dataset.slugFrom);
      if (!source) {
        return;
      }
      var ownWords = slug.value !== "" && slug.value !== slugify(source.value);
      slug.addEventListener("input", function () {
        ownWords = slug.value !== "";
      });
      source.addEventListener("input", function () {
        if (!ownWords) {
          slug.value = slugify(source.value);
        }
      });
    });
  }

  function start() {
    focusErrorSummary();
    setUpSlugs();
    setUpCopyButtons();
    setUpMenu();
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
