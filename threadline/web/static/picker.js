/* Name pickers: every <input data-picker> becomes a search-as-you-type combobox
   (the WAI-ARIA 1.2 pattern: role=combobox, a listbox of options, arrow keys, Enter,
   Escape) over GET /api/v1/suggest, which answers only with what the signed-in user
   may read and records each suggestion in the audit log like a search.
   Choosing a name puts its entity id into the input, which is what the form sends, and
   shows the name beside it; an id typed or pasted is sent as it is.
   Options: data-picker-schema (e.g. Person, LegalEntity), data-picker-dataset,
   data-picker-country; data-picker-caption names the entity whose id the page put in
   the input (after a form is sent, the ids come back and the names would be lost).
   Our own code, no libraries: names are data and are only ever set with textContent. */
(function () {
  "use strict";
  var MIN_CHARS = 2;
  var DELAY_MS = 250;
  var LIMIT = 8;
  var made = 0;

  function element(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text) node.textContent = text;
    return node;
  }

  function describe(suggestion) {
    var parts = [suggestion.schema];
    if (suggestion.datasets && suggestion.datasets.length) parts.push(suggestion.datasets.join(", "));
    if (suggestion.countries && suggestion.countries.length) {
      parts.push(suggestion.countries.join(", ").toUpperCase());
    }
    return parts.join(" · ");
  }

  function enhance(input) {
    if (input.getAttribute("data-picker-ready")) return;
    input.setAttribute("data-picker-ready", "1");
    made += 1;
    var base = (input.id || "picker-" + made) + "-picker";
    var wrap = element("div", "picker");
    var list = element("ul", "picker-list");
    var chosen = element("p", "picker-chosen");
    var note = element("p", "picker-note hint");
    var status = element("span", "visually-hidden");
    list.id = base + "-list";
    list.setAttribute("role", "listbox");
    list.setAttribute("aria-label", "Names");
    list.hidden = true;
    chosen.id = base + "-chosen";
    note.id = base + "-note";
    chosen.hidden = true;
    note.hidden = true;
    status.setAttribute("role", "status");
    status.setAttribute("aria-live", "polite");
    input.parentNode.insertBefore(wrap, input);
    wrap.appendChild(input);
    wrap.appendChild(list);
    wrap.appendChild(chosen);
    wrap.appendChild(note);
    wrap.appendChild(status);
    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-expanded", "false");
    input.setAttribute("aria-controls", list.id);
    input.setAttribute("autocomplete", "off");
    var described = input.getAttribute("aria-describedby");
    input.setAttribute("aria-describedby", (described ? described + " " : "") + chosen.id);
    if (!input.getAttribute("placeholder")) input.setAttribute("placeholder", "Type a name, or paste an id");

    var items = [];
    var active = -1;
    var timer = null;
    var asked = 0;
    var controller = null;
    var chosenId = null;

    function setNote(text) {
      note.textContent = text;
      note.hidden = !text;
    }

    function close() {
      list.hidden = true;
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
      if (active >= 0 && list.children[active]) list.children[active].setAttribute("aria-selected", "false");
      active = -1;
    }

    function open() {
      if (!items.length) return;
      list.hidden = false;
      input.setAttribute("aria-expanded", "true");
    }

    function highlight(index) {
      if (active >= 0 && list.children[active]) list.children[active].setAttribute("aria-selected", "false");
      active = index;
      var option = list.children[index];
      if (!option) return;
      option.setAttribute("aria-selected", "true");
      input.setAttribute("aria-activedescendant", option.id);
      if (option.scrollIntoView) option.scrollIntoView({ block: "nearest" });
    }

    function choose(index) {
      var suggestion = items[index];
      if (!suggestion) return;
      input.value = suggestion.id;
      chosenId = suggestion.id;
      chosen.textContent = "";
      chosen.appendChild(element("span", "picker-check", "\u2713 "));
      chosen.appendChild(element("strong", "", suggestion.caption));
      chosen.appendChild(element("span", "meta", " " + describe(suggestion)));
      chosen.hidden = false;
      setNote("");
      close();
      status.textContent = "Chosen: " + suggestion.caption;
      input.dispatchEvent(new Event("change", { bubbles: true }));
      input.dispatchEvent(new CustomEvent("picker:chosen", { bubbles: true, detail: suggestion }));
    }

    function show(suggestions, total, query) {
      items = suggestions;
      list.setAttribute("data-query", query);  // which answer is shown (for tests, too)
      active = -1;
      while (list.firstChild) list.removeChild(list.firstChild);
      suggestions.forEach(function (suggestion, index) {
        var option = element("li", "picker-option");
        option.id = base + "-option-" + index;
        option.setAttribute("role", "option");
        option.setAttribute("aria-selected", "false");
        option.setAttribute("data-index", String(index));
        option.appendChild(element("span", "picker-caption", suggestion.caption));
        var meta = element("span", "picker-meta", describe(suggestion));
        (suggestion.markings || []).forEach(function (marking) {
          meta.appendChild(document.createTextNode(" "));
          meta.appendChild(element("span", "badge marking", marking));
        });
        option.appendChild(meta);
        list.appendChild(option);
      });
      if (!suggestions.length) {
        close();
        setNote("No name you may read starts like \u201c" + query + "\u201d. An id is sent as typed.");
        status.textContent = "No suggestions";
        return;
      }
      setNote("");
      open();
      var more = total > suggestions.length ? " of " + total : "";
      status.textContent = suggestions.length + more + " suggestions; use the up and down arrows to choose";
    }

    function ask() {
      var query = input.value.trim();
      if (query.length < MIN_CHARS) return;
      if (controller) controller.abort();
      controller = window.AbortController ? new AbortController() : null;
      asked += 1;
      var mine = asked;
      var params = new URLSearchParams({ q: query, limit: String(LIMIT) });
      ["schema", "dataset", "country"].forEach(function (name) {
        var value = input.getAttribute("data-picker-" + name);
        if (value) params.set(name, value);
      });
      fetch("/api/v1/suggest?" + params.toString(), {
        credentials: "same-origin",
        headers: { Accept: "application/json" },
        signal: controller ? controller.signal : undefined
      }).then(function (answer) {
        if (mine !== asked) return null;
        if (answer.status === 428) {
          close();
          setNote("Choose a case or state a purpose (\u201cChange\u201d, at the top) to get suggestions.");
          return null;
        }
        if (!answer.ok) {
          close();
          setNote("Suggestions are not available just now (" + answer.status + "); an id typed in still works.");
          return null;
        }
        return answer.json();
      }).then(function (body) {
        if (!body || mine !== asked) return;
        show(body.suggestions || [], body.total || 0, query);
      }).catch(function (error) {
        if (error && error.name === "AbortError") return;
        if (mine === asked) setNote("Suggestions are not available just now; an id typed in still works.");
      });
    }

    function later() {
      window.clearTimeout(timer);
      if (input.value.trim().length < MIN_CHARS) {
        if (controller) controller.abort();
        asked += 1;
        items = [];
        close();
        setNote("");
        return;
      }
      timer = window.setTimeout(ask, DELAY_MS);
    }

    var known = input.getAttribute("data-picker-caption");
    if (known && input.value) {
      chosenId = input.value;
      chosen.appendChild(element("span", "picker-check", "\u2713 "));
      chosen.appendChild(element("strong", "", known));
      chosen.hidden = false;
    }

    input.addEventListener("input", function () {
      if (chosenId !== null && input.value !== chosenId) {
        chosenId = null;
        chosen.hidden = true;
        chosen.textContent = "";
      }
      later();
    });

    input.addEventListener("keydown", function (event) {
      if (event.altKey || event.ctrlKey || event.metaKey) return;
      var expanded = !list.hidden;
      if (event.key === "ArrowDown" || event.key === "Down") {
        event.preventDefault();
        if (!expanded) {
          if (items.length) open();
          else { window.clearTimeout(timer); ask(); }
          if (!items.length) return;
        }
        highlight(active + 1 < items.length ? active + 1 : 0);
      } else if (event.key === "ArrowUp" || event.key === "Up") {
        event.preventDefault();
        if (!expanded) open();
        if (!items.length) return;
        highlight(active > 0 ? active - 1 : items.length - 1);
      } else if (event.key === "Enter") {
        if (expanded && active >= 0) {
          event.preventDefault();
          choose(active);
        } else {
          close();
        }
      } else if (event.key === "Escape" || event.key === "Esc") {
        if (expanded) {
          event.preventDefault();
          event.stopPropagation();
          close();
        }
      } else if (event.key === "Tab") {
        close();
      }
    });

    input.addEventListener("blur", close);
    // Keep the focus in the input while an option is clicked.
    list.addEventListener("mousedown", function (event) { event.preventDefault(); });
    list.addEventListener("click", function (event) {
      var option = event.target.closest ? event.target.closest("[role=option]") : null;
      if (option) choose(Number(option.getAttribute("data-index")));
    });
    list.addEventListener("mousemove", function (event) {
      var option = event.target.closest ? event.target.closest("[role=option]") : null;
      if (option) {
        var index = Number(option.getAttribute("data-index"));
        if (index !== active) highlight(index);
      }
    });
  }

  function enhanceAll(root) {
    (root || document).querySelectorAll("input[data-picker]").forEach(enhance);
  }

  window.threadlinePicker = { enhance: enhanceAll };
  enhanceAll(document);
})();
