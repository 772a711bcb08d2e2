// promisesite: a page opened from disk (file://) has no server to turn a folder into its
// index.html, so its links to pages (which end in "/") are made to name index.html itself.
// Served over HTTP, nothing changes. Plain JavaScript, no dependencies.
(function () {
  "use strict";
  if (window.location.protocol !== "file:") return;
  function fix(link) {
    var href = link.getAttribute("href");
    if (!href || /^[a-z][a-z0-9+.-]*:|^#|^\/\//i.test(href)) return;
    var at = href.search(/[?#]/);
    var path = at === -1 ? href : href.slice(0, at);
    if (path === "" || path.charAt(path.length - 1) === "/" || path === "." || path === "..") {
      var folder = path === "" || path.charAt(path.length - 1) === "/" ? path : path + "/";
      link.setAttribute("href", (folder || "./") + "index.html" + (at === -1 ? "" : href.slice(at)));
    }
  }
  Array.prototype.forEach.call(document.querySelectorAll("a[href]"), fix);
  // Links made later (search results) are fixed as they are followed.
  document.addEventListener("click", function (event) {
    var link = event.target.closest ? event.target.closest("a[href]") : null;
    if (link) fix(link);
  }, true);
})();
