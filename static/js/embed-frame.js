// Inside the embed frame: tell the page that placed us (embed.js) how tall we are, so it can size the
// iframe without scroll bars. Only to the parent origin the server checked against EMBED_ORIGINS.
(function () {
  "use strict";
  var parentOrigin = document.body.getAttribute("data-parent-origin");
  if (!parentOrigin || window.parent === window) return;
  var last = 0;
  function report() {
    var height = Math.ceil(document.documentElement.scrollHeight);
    if (height === last) return;
    last = height;
    window.parent.postMessage({ type: "petities:height", height: height }, parentOrigin);
  }
  if (window.ResizeObserver) new ResizeObserver(report).observe(document.body);
  window.addEventListener("load", report);
  report();
})();
