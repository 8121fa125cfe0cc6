/*! Petities embed: place a petition in your page, sized to its content. No dependencies.
 * <div data-petitie="https://…/petitions/<slug>/embed"></div>
 * <script src="https://…/static/embed.js" async></script>
 * Your site's origin must be listed in the platform's EMBED_ORIGINS setting. */
(function () {
  "use strict";
  var frames = [];

  function place(holder) {
    if (holder.getAttribute("data-petitie-placed")) return;
    var src;
    try { src = new URL(holder.getAttribute("data-petitie"), document.baseURI); } catch (e) { return; }
    if (src.protocol !== "https:" && src.protocol !== "http:") return;
    src.searchParams.set("parent", window.location.origin);
    var lang = holder.getAttribute("data-lang");
    if (lang) src.searchParams.set("lang", lang);
    var frame = document.createElement("iframe");
    frame.src = src.href;
    frame.title = holder.getAttribute("data-title") || "Petitie";
    frame.loading = "lazy";
    frame.style.width = "100%";
    frame.style.maxWidth = "40rem";
    frame.style.height = "640px";
    frame.style.border = "0";
    frame.style.display = "block";
    holder.appendChild(frame);
    holder.setAttribute("data-petitie-placed", "1");
    frames.push({ frame: frame, origin: src.origin });
  }

  // Only a message from one of our frames, from the origin it was loaded from, may resize it.
  window.addEventListener("message", function (event) {
    var data = event.data;
    if (!data || data.type !== "petities:height" || typeof data.height !== "number") return;
    for (var i = 0; i < frames.length; i++) {
      var item = frames[i];
      if (event.source === item.frame.contentWindow && event.origin === item.origin) {
        item.frame.style.height = Math.max(120, Math.min(Math.round(data.height), 5000)) + "px";
      }
    }
  });

  function placeAll() {
    var holders = document.querySelectorAll("[data-petitie]");
    for (var i = 0; i < holders.length; i++) place(holders[i]);
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", placeAll);
  else placeAll();
})();
