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

/* Re-score progress: the page shows done/total as of its load; this keeps the bar
   moving by polling the job's API until it is done or failed. */
(function () {
  "use strict";
  var boxes = document.querySelectorAll("[data-job-url]");
  Array.prototype.forEach.call(boxes, function (box) {
    var bar = box.querySelector("progress");
    var status = box.querySelector(".rematch-status");
    var url = box.getAttribute("data-job-url");
    var delay = 1000;
    var poll = function () {
      fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
        .then(function (response) {
          return response.ok ? response.json() : null;
        })
        .then(function (job) {
          if (!job) {
            return;
          }
          if (job.total) {
            bar.max = job.total;
            bar.value = job.done;
            status.textContent = job.done + " / " + job.total + " (" + job.percent + " %)";
          }
          if (job.state === "done") {
            bar.value = bar.max;
            status.textContent = status.getAttribute("data-done-text");
            box.classList.add("rematch-done");
            return;
          }
          if (job.state === "failed") {
            status.textContent = status.getAttribute("data-failed-text");
            box.classList.add("rematch-failed");
            return;
          }
          delay = Math.min(delay * 1.3, 5000);
          window.setTimeout(poll, delay);
        })
        .catch(function () {
          window.setTimeout(poll, 5000);
        });
    };
    window.setTimeout(poll, delay);
  });
})();

// Conversation: a comment, a reply, a vote, a support or a follow is posted in the
// background and the server's own fragment is swapped in; without this script (or
// when anything unexpected comes back) the same forms post and redirect as usual.
(function () {
  "use strict";
  if (!window.fetch || !window.FormData || !document.querySelector("[data-fetch]")) {
    return;
  }
  var live = document.createElement("p");
  live.className = "visually-hidden";
  live.setAttribute("role", "status");
  live.setAttribute("aria-live", "polite");
  document.body.appendChild(live);

  function announce(text) {
    if (!text) {
      return;
    }
    live.textContent = "";
    window.setTimeout(function () {
      live.textContent = text;
    }, 60);
  }

  function parse(html) {
    var template = document.createElement("template");
    template.innerHTML = html.trim();
    return template.content.firstElementChild;
  }

  function csrfToken(form) {
    var input = form.querySelector("input[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  }

  function insertComment(form, item) {
    var parentId = item.getAttribute("data-parent-id");
    var conversation = form.closest("[data-conversation]") || document;
    var list = parentId
      ? document.getElementById("replies-" + parentId)
      : conversation.querySelector("[data-comment-list]");
    if (!list) {
      return false;
    }
    list.hidden = false;
    if (!parentId && list.getAttribute("data-sort") === "newest") {
      list.insertBefore(item, list.firstChild);
    } else {
      list.appendChild(item);
    }
    var empty = conversation.querySelector("[data-comment-empty]");
    if (empty) {
      empty.remove();
    }
    return true;
  }

  function commentAnswered(form, status, html) {
    var element = parse(html);
    var expected = status === 201 ? "li[data-comment]" : "form[data-fetch]";
    if (!element || !element.matches(expected)) {
      throw new Error("not a fragment");
    }
    if (status === 201) {
      if (!insertComment(form, element)) {
        throw new Error("no list");
      }
      form.reset();
      var count = (form.closest("[data-conversation]") || document).querySelector(
        ".conversation-count"
      );
      if (count && element.getAttribute("data-count-label")) {
        count.textContent = element.getAttribute("data-count-label");
      }
      var reply = form.closest("details[data-reply]");
      if (reply) {
        reply.open = false;
      }
      announce(element.getAttribute("data-announce"));
      element.focus();
      return;
    }
    // A refusal: the form comes back with the message next to the field.
    form.replaceWith(element);
    var errors = element.querySelector("[data-form-errors]");
    if (errors) {
      errors.focus();
      announce(errors.textContent.trim());
    }
  }

  function fragmentAnswered(form, submitter, html) {
    var holder = form.closest("[data-fragment]");
    var element = parse(html);
    if (!holder || !element || !element.hasAttribute("data-fragment")) {
      throw new Error("not a fragment");
    }
    var buttons = Array.prototype.slice.call(holder.querySelectorAll("button"));
    var index = submitter ? buttons.indexOf(submitter) : -1;
    holder.replaceWith(element);
    var error = element.querySelector("[role=alert]");
    announce(error ? error.textContent.trim() : element.getAttribute("data-announce"));
    var again = element.querySelectorAll("button");
    if (index >= 0 && again[index]) {
      again[index].focus();
    }
  }

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!(form instanceof HTMLFormElement) || !form.hasAttribute("data-fetch")) {
      return;
    }
    event.preventDefault();
    var submitter = event.submitter || null;
    var mode = form.getAttribute("data-fetch");
    var data = new FormData(form);
    if (submitter && submitter.name) {
      data.append(submitter.name, submitter.value);
    }
    form.classList.add("is-busy");
    form.setAttribute("aria-busy", "true");
    // getAttribute: a field named "action" would shadow form.action.
    fetch(form.getAttribute("action") || window.location.href, {
      method: "POST",
      body: data,
      credentials: "same-origin",
      headers: { "X-Requested-With": "fetch", "X-CSRFToken": csrfToken(form) }
    })
      .then(function (response) {
        var type = response.headers.get("Content-Type") || "";
        if (response.redirected || response.status >= 500 || type.indexOf("text/html") !== 0) {
          throw new Error("unexpected answer");
        }
        return response.text().then(function (html) {
          return { status: response.status, html: html };
        });
      })
      .then(function (answer) {
        form.classList.remove("is-busy");
        form.removeAttribute("aria-busy");
        if (mode === "comment") {
          commentAnswered(form, answer.status, answer.html);
        } else {
          fragmentAnswered(form, submitter, answer.html);
        }
      })
      .catch(function () {
        // Post the ordinary way: the page round trip needs no script.
        form.removeAttribute("data-fetch");
        if (form.requestSubmit) {
          form.requestSubmit(submitter || undefined);
        } else {
          form.submit();
        }
      });
  });
})();
