// Progressive enhancements only: every page works without this file.
(function () {
  "use strict";
  document.addEventListener("change", function (event) {
    var target = event.target;
    if (target instanceof HTMLSelectElement && target.hasAttribute("data-autosubmit")) {
      target.form.submit();
    }
  });
  document.documentElement.classList.add("js");

  // Collapsible navigation on narrow screens; without JavaScript it stays open.
  var toggle = document.querySelector(".nav-toggle");
  var nav = document.getElementById("site-nav");
  if (toggle && nav) {
    toggle.hidden = false;
    nav.classList.add("is-collapsed");
    toggle.addEventListener("click", function () {
      var open = nav.classList.toggle("is-collapsed") === false;
      toggle.setAttribute("aria-expanded", open ? "true" : "false");
    });
  }
})();

// Proposals: Markdown preview in place, similar proposals while writing, and focus
// on the error summary. Without JavaScript the same buttons submit the form.
(function () {
  "use strict";
  var summary = document.querySelector("[data-error-summary]");
  if (summary) {
    summary.focus();
  }

  function csrfToken(form) {
    var input = form.querySelector("input[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  }

  document.addEventListener("click", function (event) {
    var button = event.target.closest ? event.target.closest("[data-preview-url]") : null;
    if (!button || !window.fetch) {
      return;
    }
    var form = button.form;
    var source = document.getElementById(button.getAttribute("data-preview-source"));
    var target = document.getElementById(button.getAttribute("data-preview-target"));
    if (!form || !source || !target) {
      return;
    }
    event.preventDefault();
    var data = new FormData();
    data.append("body", source.value);
    target.classList.add("is-loading");
    fetch(button.getAttribute("data-preview-url"), {
      method: "POST",
      body: data,
      credentials: "same-origin",
      headers: { "X-CSRFToken": csrfToken(form) }
    })
      .then(function (response) {
        if (!response.ok) {
          throw new Error(String(response.status));
        }
        return response.text();
      })
      .then(function (html) {
        target.innerHTML = html;
        target.classList.remove("is-loading");
      })
      .catch(function () {
        // Fall back to the page round trip, which needs no script.
        target.classList.remove("is-loading");
        form.requestSubmit ? form.requestSubmit(button) : form.submit();
      });
  });

  var similarForm = document.querySelector("form[data-similar-source]");
  var similarBox = document.getElementById("similar-proposals");
  if (similarForm && similarBox && window.fetch) {
    var timer = null;
    var last = "";
    var refresh = function () {
      var url = new URL(similarBox.getAttribute("data-similar-url"), window.location.href);
      ["city", "title", "summary"].forEach(function (name) {
        var field = similarForm.elements.namedItem(name);
        if (field && field.value) {
          url.searchParams.set(name, field.value);
        }
      });
      var key = url.toString();
      if (key === last) {
        return;
      }
      last = key;
      fetch(key, { credentials: "same-origin" })
        .then(function (response) {
          return response.ok ? response.text() : null;
        })
        .then(function (html) {
          if (html !== null && key === last) {
            similarBox.innerHTML = html;
          }
        })
        .catch(function () {});
    };
    similarForm.addEventListener("input", function (event) {
      var name = event.target.name;
      if (name === "title" || name === "summary" || name === "city") {
        window.clearTimeout(timer);
        timer = window.setTimeout(refresh, 500);
      }
    });
    similarForm.addEventListener("change", function (event) {
      if (event.target.name === "city") {
        refresh();
      }
    });
  }
})();
