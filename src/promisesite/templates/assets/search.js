// promisesite search: finds promises in search-index.js by title, id, people (handles and names),
// team, status and tags; every word must match the start of a word; the best matches come first
// (a title that holds the words, earliest in the title and as a phrase, before a handle or a tag).
// Plain JavaScript, no dependencies. Without JavaScript the search box stays hidden and the
// rest of the site works as it is.
(function () {
  "use strict";
  var form = document.querySelector("form.search");
  var input = document.getElementById("search-input");
  var results = document.getElementById("search-results");
  var meta = document.querySelector('meta[name="promisesite-index"]');
  var root = document.querySelector('meta[name="promisesite-root"]');
  if (!form || !input || !results || !meta) return;
  var home = root ? root.content : "";
  var page = window.location.protocol === "file:" ? "index.html" : "";  // no server to find it on disk
  form.hidden = false;

  var promises = null;
  var loading = null;
  var LIMIT = 20;

  // The index is a script that calls promisesiteIndex(records): a page opened from disk (file://)
  // may load a script but not fetch a file.
  function load() {
    if (!loading) {
      loading = new Promise(function (resolve) {
        window.promisesiteIndex = function (data) {
          promises = data.map(function (r) {
            var p = { url: home + r[0] + page, id: r[1], title: r[2], status: r[3], due: r[4], promiser: r[5],
                      promiserName: r[6], customer: r[7], customerName: r[8], team: r[9], tags: r[10] };
            var title = tokens(p.title || p.id);
            var other = tokens([p.id, p.promiser, p.promiserName, p.customer, p.customerName, p.team,
                                p.status, p.tags].join(" "))
              .concat([p.promiser, p.customer, p.team].filter(Boolean).map(function (h) { return h.toLowerCase(); }));
            return { promise: p, title: title, other: other, phrase: " " + title.join(" ") + " " };
          });
          resolve();
        };
        var script = document.createElement("script");
        script.src = meta.content;
        script.onerror = function () { promises = []; resolve(); };
        document.head.appendChild(script);
      });
    }
    return loading;
  }

  function tokens(text) {
    return (text || "").toLowerCase().split(/[^\p{L}\p{N}]+/u).filter(Boolean);
  }

  // How well one entry matches every term, or 0: a title word equal to a term scores most, a
  // title word starting with it next, then the same for people, ids, teams, statuses and tags.
  function score(entry, terms, phrase) {
    var total = 0;
    for (var i = 0; i < terms.length; i += 1) {
      var term = terms[i], best = 0;
      for (var t = 0; t < entry.title.length; t += 1) {
        var word = entry.title[t];
        var found = word === term ? 8 : word.indexOf(term) === 0 ? 5 : 0;
        if (found) { best = Math.max(best, found - Math.min(t, 4) * 0.25); }
      }
      for (var o = 0; o < entry.other.length && best < 3; o += 1) {
        var handle = entry.other[o];
        best = Math.max(best, handle === term ? 3 : handle.indexOf(term) === 0 ? 2 : 0);
      }
      if (!best) return 0;
      total += best;
    }
    if (terms.length > 1 && entry.phrase.indexOf(phrase) !== -1) total += 4;
    return total - entry.title.length * 0.01;
  }

  function element(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text) node.textContent = text;
    return node;
  }

  function show(query) {
    results.textContent = "";
    var terms = tokens(query);
    if (!terms.length) return;
    var phrase = " " + terms.join(" ") + " ";
    var found = [];
    promises.forEach(function (entry) {
      var points = score(entry, terms, phrase);
      if (points) found.push({ entry: entry, points: points });
    });
    found.sort(function (a, b) { return b.points - a.points || (a.entry.promise.due || "~").localeCompare(b.entry.promise.due || "~"); });
    found = found.map(function (hit) { return hit.entry; });
    var count = found.length === 1 ? "1 promise" : found.length + " promises";
    results.appendChild(element("p", "count", found.length ? count : "No promise matches “" + query + "”."));
    if (!found.length) return;
    var list = element("ul");
    found.slice(0, LIMIT).forEach(function (entry) {
      var p = entry.promise;
      var item = element("li");
      var link = element("a", null, p.title || p.id);
      link.href = p.url;
      var details = [p.status, (p.promiserName || p.promiser || "?") + " → " + (p.customerName || p.customer || "?")];
      if (p.due) details.push("due " + p.due);
      link.appendChild(element("span", "meta", details.join(" · ")));
      item.appendChild(link);
      list.appendChild(item);
    });
    results.appendChild(list);
  }

  input.addEventListener("focus", load);
  input.addEventListener("input", function () {
    var query = input.value;
    load().then(function () { if (input.value === query) show(query); });
  });
  input.addEventListener("keydown", function (event) {
    if (event.key === "Escape") { input.value = ""; results.textContent = ""; }
  });
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var first = results.querySelector("a");
    if (first) window.location.href = first.href;
  });
})();
