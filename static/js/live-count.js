// Keeps the petition's count current from count.json: gently (every 20 s, slower while nothing
// changes or after errors, up to 5 min), and not at all while the tab is hidden. No request storm:
// each page asks at most once per interval, and the server lets caches share the answer.
const box = document.querySelector(".progress[data-count-url]");
if (box) {
  const url = box.dataset.countUrl;
  const strong = box.querySelector("[data-count]");
  const bar = box.querySelector("progress");
  const format = new Intl.NumberFormat(document.documentElement.lang, { numberingSystem: "latn" });
  const base = 20000;
  const longest = 300000;
  let wait = base;
  let last = null;
  let timer = null;

  const schedule = () => {
    clearTimeout(timer);
    if (!document.hidden) timer = setTimeout(poll, wait + Math.random() * 2000);
  };

  const poll = async () => {
    try {
      const response = await fetch(url, { headers: { Accept: "application/json" } });
      // An overloaded or rate-limiting server says when to come back: never sooner than that.
      const retryAfter = Number(response.headers.get("Retry-After"));
      if (!response.ok && retryAfter > 0) {
        wait = Math.min(Math.max(wait, retryAfter * 1000), longest);
        schedule();
        return;
      }
      if (!response.ok) throw new Error(String(response.status));
      const data = await response.json();
      if (data.count !== last && last !== null) wait = base;
      else wait = Math.min(wait * 1.5, longest);
      last = data.count;
      strong.textContent = format.format(data.count);
      if (bar) bar.value = Math.min(data.count, Number(bar.max));
    } catch (error) {
      wait = Math.min(wait * 2, longest);
    }
    schedule();
  };

  document.addEventListener("visibilitychange", schedule);
  schedule();
}
