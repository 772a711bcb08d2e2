// promisesite serve: reload the page when a rebuild changed it, and show findings of broken
// files in an overlay. Added to pages by the development server only, never to built files.
(function () {
  "use strict";
  var script = document.currentScript;
  var base = (script && script.getAttribute("data-base")) || "/";
  var here = location.pathname;
  var overlay = null;

  function style(node, properties) {
    Object.keys(properties).forEach(function (key) { node.style[key] = properties[key]; });
    return node;
  }

  function show(status) {
    var problems = (status.errors || []).map(function (f) {
      return f.path + ":" + f.line + ":" + f.column + "  " + f.code + " " + f.name + ": " + f.message;
    });
    if (status.error) problems.unshift(status.error);
    if (!problems.length) {
      if (overlay) { overlay.remove(); overlay = null; }
      return;
    }
    if (!overlay) {
      overlay = style(document.createElement("section"), {
        position: "fixed", left: "16px", right: "16px", bottom: "16px", zIndex: "2147483647",
        maxHeight: "45vh", overflow: "auto", padding: "14px 18px", borderRadius: "10px",
        background: "#1f0a0a", color: "#fde2e2", border: "2px solid #ef4444",
        font: "14px/1.5 ui-monospace, SFMono-Regular, Menlo, Consolas, monospace",
        boxShadow: "0 10px 30px rgba(0,0,0,.35)"
      });
      overlay.id = "promisesite-overlay";
      overlay.setAttribute("role", "alert");
      document.body.appendChild(overlay);
    }
    overlay.textContent = "";
    var title = style(document.createElement("strong"), { display: "block", marginBottom: "6px" });
    title.textContent = "promisesite: " + problems.length + " problem" + (problems.length === 1 ? "" : "s") +
      " — the site shows the last good version until the next good save";
    overlay.appendChild(title);
    problems.forEach(function (text) {
      var line = style(document.createElement("div"), { whiteSpace: "pre-wrap" });
      line.textContent = text;
      overlay.appendChild(line);
    });
  }

  var source = new EventSource(base + "__promisesite/events");
  source.addEventListener("status", function (event) { show(JSON.parse(event.data)); });
  source.addEventListener("rebuild", function (event) {
    var data = JSON.parse(event.data);
    if ((data.changed || []).indexOf(here) !== -1) {
      source.close();
      location.reload();
      return;
    }
    show(data);
  });
})();
