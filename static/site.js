// Small progressive enhancements; every page works without this file.
(function () {
  "use strict";
  // Print links open the browser's print dialog instead of navigating to the print view.
  document.querySelectorAll("[data-print]").forEach(function (link) {
    link.hidden = false; // buttons that only work with this script start hidden
    link.addEventListener("click", function (event) {
      event.preventDefault();
      window.print();
    });
  });
})();

// Dictionary: with the utility bar's toggle on, double-click or tap a word of the story (or
// select words and press D) to see its definitions from /api/v1/dictionary in a popup.
(function () {
  "use strict";
  var toggle = document.querySelector("[data-dictionary-toggle]");
  var story = document.querySelector(".story-body");
  if (!toggle || !story || !window.fetch) return; // the toggle stays hidden
  var STORE = "broadsheet.dictionary";
  var WORD = "[\\p{L}\\p{N}]+(?:['\u2019.\\-][\\p{L}\\p{N}]+)*"; // Jong-un, Korea's, U.S
  var BLOCK = "p, li, blockquote, h2, h3, h4, td, th";
  var on = false;
  try { on = localStorage.getItem(STORE) === "on"; } catch (e) { /* storage may be blocked */ }
  var popup = null, returnTo = null, pending = 0, anchor = null;

  function showState() {
    toggle.setAttribute("aria-pressed", String(on));
    story.classList.toggle("dictionary-on", on);
  }
  toggle.title = "Look up words: double-click or tap a word in the story, or select words and press D";
  toggle.hidden = false;
  showState();
  toggle.addEventListener("click", function () {
    on = !on;
    showState();
    try { localStorage.setItem(STORE, on ? "on" : "off"); } catch (e) { /* not remembered */ }
    if (!on) close(false);
  });

  // The paragraph (or list item, quote...) a node of the story stands in.
  function blockOf(node) {
    var element = node.nodeType === 3 ? node.parentElement : node;
    return (element && element.closest(BLOCK)) || story;
  }

  // The word of a text node around `offset`, as a Range, or null between words.
  function wordRange(node, offset) {
    if (!node || node.nodeType !== 3 || !story.contains(node)) return null;
    var re = new RegExp(WORD, "gu"), m;
    while ((m = re.exec(node.data))) {
      if (m.index <= offset && offset <= m.index + m[0].length) {
        var range = document.createRange();
        range.setStart(node, m.index);
        range.setEnd(node, m.index + m[0].length);
        return range;
      }
      if (m.index > offset) break;
    }
    return null;
  }

  // The words either side of a picked word in its paragraph, when only a space separates
  // them: "North" + "Korea" may make a lexicon phrase, "North." + "Korea" may not.
  function neighbours(range) {
    var block = blockOf(range.startContainer);
    var before = document.createRange();
    before.selectNodeContents(block);
    before.setEnd(range.startContainer, range.startOffset);
    var text = block.textContent, start = before.toString().length;
    var prev = new RegExp("(" + WORD + ")[ \u00a0]+$", "u").exec(text.slice(0, start));
    var next = new RegExp("^[ \u00a0]+(" + WORD + ")", "u").exec(text.slice(start + range.toString().length));
    return { prev: prev && prev[1], next: next && next[1], block: block };
  }

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text) node.textContent = text;
    return node;
  }

  function build() {
    popup = el("div", "dictionary-popup");
    popup.setAttribute("role", "dialog");
    popup.setAttribute("aria-label", "Dictionary");
    popup.tabIndex = -1;
    popup.hidden = true;
    var closer = el("button", "dictionary-close", "\u00d7");
    closer.type = "button";
    closer.setAttribute("aria-label", "Close the dictionary");
    closer.addEventListener("click", function () { close(true); });
    var content = el("div", "dictionary-content");
    content.setAttribute("aria-live", "polite");
    popup.append(closer, content,
      el("p", "dictionary-note",
        "Select words and press D to look up a phrase. Definitions: WordNet 3.0, Princeton University."));
    document.body.append(popup);
  }

  function show(nodes) {
    var content = popup.querySelector(".dictionary-content");
    content.replaceChildren.apply(content, nodes);
    place();
  }

  // Below the word, or above it when the space below is short; always inside the page.
  function place() {
    var margin = 8, root = document.documentElement;
    var left = Math.min(anchor.left, window.scrollX + root.clientWidth - popup.offsetWidth - margin);
    var top = anchor.bottom + margin;
    if (anchor.bottom - window.scrollY + popup.offsetHeight + margin > window.innerHeight &&
        anchor.top - window.scrollY > popup.offsetHeight + margin) {
      top = anchor.top - popup.offsetHeight - margin;
    }
    popup.style.left = Math.max(window.scrollX + margin, left) + "px";
    popup.style.top = top + "px";
  }

  function render(query, data) {
    var nodes = [el("h2", "dictionary-headword", data.headword)];
    if (data.lemma !== query.toLowerCase() && data.headword.toLowerCase() !== query.toLowerCase()) {
      nodes.push(el("p", "dictionary-from", "from \u201c" + query + "\u201d"));
    }
    data.entries.forEach(function (entry) {
      var group = el("section", "dictionary-pos");
      var label = entry.part_of_speech;
      if (entry.headword !== data.headword) label += " \u00b7 " + entry.headword;
      var list = el("ol");
      entry.definitions.forEach(function (definition) {
        var item = el("li", null, definition.text);
        if (definition.example) item.append(" ", el("q", "dictionary-example", definition.example));
        list.append(item);
      });
      group.append(el("h3", null, label), list);
      nodes.push(group);
    });
    return nodes;
  }

  function lookup(text, range, context) {
    if (!popup) build();
    var rect = range.getBoundingClientRect();
    anchor = { left: rect.left + window.scrollX, top: rect.top + window.scrollY,
      bottom: rect.bottom + window.scrollY };
    if (popup.hidden) {
      var active = document.activeElement;
      returnTo = active && active !== document.body ? active : context.block;
    }
    popup.hidden = false;
    popup.setAttribute("aria-busy", "true");
    show([el("p", "dictionary-status", "Looking up \u201c" + text + "\u201d\u2026")]);
    popup.focus({ preventScroll: true });
    var params = new URLSearchParams();
    if (context.prev) params.set("prev", context.prev);
    if (context.next) params.set("next", context.next);
    var url = "/api/v1/dictionary/" + encodeURIComponent(text) + (String(params) ? "?" + params : "");
    var ticket = ++pending;
    fetch(url, { headers: { Accept: "application/json" } })
      .then(function (response) {
        if (response.status !== 200 && response.status !== 404) throw new Error(response.status);
        return response.json().then(function (data) { return { found: response.ok, data: data }; });
      })
      .then(function (answer) {
        if (ticket !== pending) return; // a newer look-up replaced this one
        show(answer.found ? render(text, answer.data)
          : [el("p", "dictionary-status", "No entry for \u201c" + text + "\u201d.")]);
      })
      .catch(function () {
        if (ticket !== pending) return;
        show([el("p", "dictionary-status", "The dictionary could not be reached. Please try again.")]);
      })
      .finally(function () { if (ticket === pending) popup.removeAttribute("aria-busy"); });
  }

  // Escape and the close button give focus back where it was: the control that had it, or
  // the paragraph of the word (made focusable for that) so reading resumes there.
  function close(restoreFocus) {
    if (!popup || popup.hidden) return;
    popup.hidden = true;
    pending++;
    var target = returnTo;
    returnTo = null;
    if (!restoreFocus || !target || !document.contains(target)) return;
    if (target.tabIndex < 0 && !target.hasAttribute("tabindex")) {
      target.setAttribute("tabindex", "-1");
      target.addEventListener("blur", function () { target.removeAttribute("tabindex"); }, { once: true });
    }
    target.focus({ preventScroll: true });
  }

  story.addEventListener("dblclick", function () {
    var selection = window.getSelection();
    if (!on || !selection.rangeCount) return;
    var picked = selection.getRangeAt(0);
    var range = wordRange(picked.startContainer, picked.startOffset);
    var text = picked.toString().trim();
    if (range) lookup(range.toString(), range, neighbours(range));
    // A selection that starts between elements has no text node to widen: take it as is.
    else if (text && text.length <= 100 && story.contains(picked.commonAncestorContainer)) {
      lookup(text, picked, { block: story });
    }
  });

  // Touch: a tap (not a scroll, not on a link) looks up the word under the finger.
  var touch = null;
  story.addEventListener("pointerdown", function (event) {
    touch = event.pointerType === "mouse" ? null : { x: event.clientX, y: event.clientY };
  });
  story.addEventListener("pointerup", function (event) {
    var start = touch;
    touch = null;
    if (!on || !start || event.pointerType === "mouse") return;
    if (Math.abs(event.clientX - start.x) + Math.abs(event.clientY - start.y) > 10) return;
    if (event.target.closest("a, button")) return;
    var node, offset;
    if (document.caretPositionFromPoint) {
      var position = document.caretPositionFromPoint(event.clientX, event.clientY);
      if (position) { node = position.offsetNode; offset = position.offset; }
    } else if (document.caretRangeFromPoint) {
      var caret = document.caretRangeFromPoint(event.clientX, event.clientY);
      if (caret) { node = caret.startContainer; offset = caret.startOffset; }
    }
    var range = wordRange(node, offset);
    if (range) lookup(range.toString(), range, neighbours(range));
  });

  // Keyboard: select a word or a phrase in the story, then press D.
  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape" && popup && !popup.hidden) {
      close(popup.contains(document.activeElement));
      return;
    }
    // Autofill sends keydown events without a key.
    if (!on || String(event.key).toLowerCase() !== "d" || event.ctrlKey || event.metaKey || event.altKey) return;
    if (event.target.closest && event.target.closest("input, textarea, select, [contenteditable]")) return;
    var selection = window.getSelection();
    if (!selection.rangeCount || selection.isCollapsed) return;
    var range = selection.getRangeAt(0);
    var text = range.toString().replace(/\s+/g, " ").trim();
    if (!text || text.length > 100 || !story.contains(range.commonAncestorContainer)) return;
    event.preventDefault();
    lookup(text, range, { block: blockOf(range.startContainer) });
  });

  // A click elsewhere on the page closes the popup; clicks in the story leave it for the
  // next look-up to replace.
  document.addEventListener("pointerdown", function (event) {
    if (!popup || popup.hidden || popup.contains(event.target) || story.contains(event.target)) return;
    close(false);
  });
})();

// Comments: fetch the story's conversation and comment box into the article (both also live
// on the comments page, which works without this script), count characters as the server
// does, and refresh comment counts in story lists.
(function () {
  "use strict";
  if (!window.fetch) return;
  var segmenter = window.Intl && Intl.Segmenter ? new Intl.Segmenter(undefined, { granularity: "grapheme" }) : null;

  // User-perceived characters of the text as the server will store it: line endings as \n,
  // outer white space trimmed. A syllable, an emoji or a flag is one.
  function length(text) {
    text = text.replace(/\r\n?/g, "\n").trim();
    if (!segmenter) return Array.from(text).length;
    var n = 0;
    for (var it = segmenter.segment(text)[Symbol.iterator](), s = it.next(); !s.done; s = it.next()) n++;
    return n;
  }

  function bindCounters(root) {
    root.querySelectorAll("[data-comment-form]").forEach(function (form) {
      var area = form.querySelector("textarea");
      var counter = form.querySelector(".comment-counter");
      var button = form.querySelector("button[type=submit]");
      if (!area || !counter || !button) return;
      var limit = parseInt(area.getAttribute("data-limit"), 10) || 250;
      function update() {
        var n = length(area.value);
        var over = n > limit;
        counter.textContent = n + "/" + limit;
        counter.classList.toggle("over", over);
        area.setAttribute("aria-invalid", String(over));
        button.disabled = over;
        button.title = over ? "Your comment is " + (n - limit) + " characters over the limit" : "";
      }
      area.addEventListener("input", update);
      update();
    });
  }

  function fill(slot, url) {
    if (!slot) return Promise.resolve();
    return fetch(url, { credentials: "same-origin" }).then(function (response) {
      if (!response.ok) return;
      return response.text().then(function (html) {
        slot.innerHTML = html;
      });
    }).catch(function () { /* the links to the comments page stay */ });
  }

  var section = document.querySelector("[data-comments]");
  if (section) {
    var base = section.getAttribute("data-comments");
    fill(section.querySelector("[data-comment-box]"), base + "/box").then(function () {
      bindCounters(section);
    });
    fill(section.querySelector("[data-comment-list]"), base + "/list");
  }
  bindCounters(document);

  var counts = document.querySelectorAll("[data-comment-count]");
  if (counts.length) {
    var ids = [];
    counts.forEach(function (a) {
      var id = a.getAttribute("data-comment-count");
      if (ids.indexOf(id) < 0 && ids.length < 100) ids.push(id);
    });
    fetch("/api/v1/comments/counts?ids=" + ids.join(","), { credentials: "omit" })
      .then(function (r) { return r.ok ? r.json() : {}; })
      .then(function (found) {
        counts.forEach(function (a) {
          var n = found[a.getAttribute("data-comment-count")];
          if (typeof n !== "number") return;
          a.textContent = n + (n === 1 ? " comment" : " comments");
          a.hidden = n === 0;
        });
      })
      .catch(function () { /* the counts as rendered stay */ });
  }
})();
