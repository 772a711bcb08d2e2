// promisesite search: filters promises.json by title, id, handles, team, status and tags.
// Plain JavaScript, no dependencies. Without JavaScript the search box stays hidden and the
// rest of the site works as it is.
(function () {
  "use strict";
  var form = document.querySelector("form.search");
  var input = document.getElementById("search-input");
  var results = document.getElementById("search-results");
  var meta = document.querySelector('meta[name="promisesite-index"]');
  if (!form || !input || !results || !meta) return;
  form.hidden = false;

  var promises = null;
  var loading = null;
  var LIMIT = 20;

  function load() {
    if (!loading) {
      loading = fetch(meta.content, { credentials: "same-origin" })
        .then(function (response) {
          if (!response.ok) throw new Error("HTTP " + response.status);
          return response.json();
        })
        .then(function (data) {
          promises = data.map(function (p) {
            var words = [p.title, p.id, p.promiser, p.customer, p.team, p.status].concat(p.tags || []);
            return { promise: p, text: words.join(" ").toLowerCase() };
          });
        })
        .catch(function () {
          promises = [];
        });
    }
    return loading;
  }

  function element(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text) node.textContent = text;
    return node;
  }

  function show(query) {
    results.textContent = "";
    var terms = query.toLowerCase().split(/\s+/).filter(Boolean);
    if (!terms.length) return;
    var found = promises.filter(function (entry) {
      return terms.every(function (term) { return entry.text.indexOf(term) !== -1; });
    });
    var count = found.length === 1 ? "1 promise" : found.length + " promises";
    results.appendChild(element("p", "count", found.length ? count : "No promise matches “" + query + "”."));
    if (!found.length) return;
    var list = element("ul");
    found.slice(0, LIMIT).forEach(function (entry) {
      var p = entry.promise;
      var item = element("li");
      var link = element("a", null, p.title || p.id);
      link.href = p.url;
      var details = [p.status, (p.promiser || "?") + " → " + (p.customer || "?")];
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
