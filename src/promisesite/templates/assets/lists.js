// promisesite lists: sort any list of promises by a column, and filter it by words, in the page.
// Plain JavaScript, no dependencies. Without JavaScript the lists keep their order (by due date)
// and every promise is still there.
(function () {
  "use strict";
  var KEYS = { promise: "title", who: "promiser", status: "status", due: "due", why: "title" };

  function words(row) {
    return (row.getAttribute("data-words") || row.textContent).toLowerCase();
  }

  function enhance(table, index) {
    var body = table.tBodies[0];
    if (!body || body.rows.length < 2) return;
    var rows = Array.prototype.slice.call(body.rows);
    rows.forEach(function (row, position) { row.setAttribute("data-position", String(position)); });

    var bar = document.createElement("div");
    bar.className = "list-tools";
    var label = document.createElement("label");
    var id = "filter-" + index;
    label.htmlFor = id;
    label.textContent = "Filter";
    var input = document.createElement("input");
    input.type = "search";
    input.id = id;
    input.placeholder = "person, team, status or words";
    input.autocomplete = "off";
    var count = document.createElement("span");
    count.className = "muted list-count";
    count.setAttribute("aria-live", "polite");
    bar.appendChild(label);
    bar.appendChild(input);
    bar.appendChild(count);
    var wrap = table.closest(".table-wrap") || table;
    wrap.parentNode.insertBefore(bar, wrap);

    input.addEventListener("input", function () {
      var terms = input.value.toLowerCase().split(/\s+/).filter(Boolean);
      var shown = 0;
      rows.forEach(function (row) {
        var text = words(row);
        var match = terms.every(function (term) { return text.indexOf(term) !== -1; });
        row.hidden = !match;
        if (match) shown += 1;
      });
      count.textContent = terms.length ? shown + " of " + rows.length + " shown" : "";
    });

    Array.prototype.forEach.call(table.tHead.rows[0].cells, function (cell) {
      var key = KEYS[cell.getAttribute("data-sort")];
      if (!key) return;
      var button = document.createElement("button");
      button.type = "button";
      button.className = "sort";
      button.textContent = cell.textContent;
      cell.textContent = "";
      cell.appendChild(button);
      cell.setAttribute("aria-sort", "none");
      button.addEventListener("click", function () {
        var ascending = cell.getAttribute("aria-sort") !== "ascending";
        Array.prototype.forEach.call(table.tHead.rows[0].cells, function (other) {
          if (other.hasAttribute("aria-sort")) other.setAttribute("aria-sort", "none");
        });
        cell.setAttribute("aria-sort", ascending ? "ascending" : "descending");
        var sorted = rows.slice().sort(function (a, b) {
          var x = a.getAttribute("data-" + key) || "\uffff";
          var y = b.getAttribute("data-" + key) || "\uffff";
          var order = x < y ? -1 : x > y ? 1 : 0;
          if (!order) order = Number(a.getAttribute("data-position")) - Number(b.getAttribute("data-position"));
          return ascending ? order : -order;
        });
        sorted.forEach(function (row) { body.appendChild(row); });
      });
    });
  }

  Array.prototype.forEach.call(document.querySelectorAll("table.promises[data-tools]"), enhance);
})();
