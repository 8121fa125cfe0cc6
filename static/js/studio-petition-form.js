// Studio forms: the web address follows the title until the campaigner edits it, and a Markdown field
// shows its rendering as one types. Both ask our own server (same slug rules, same Markdown renderer
// and sanitiser as on save), so what is shown is what will be stored. No inline script: CSP-safe.

const DELAY = 300;

function debounce(fn) {
  let timer;
  return (...args) => {
    clearTimeout(timer);
    timer = setTimeout(() => fn(...args), DELAY);
  };
}

function csrfToken(form) {
  const field = form.querySelector("input[name=csrf_token]");
  return field ? field.value : "";
}

function followTitle(slug) {
  const title = document.getElementById(slug.dataset.slugFrom);
  if (!title || slug.dataset.published === "1") return;
  let typedByHand = slug.value !== "" ;
  const petitionId = document.querySelector("form.petition-form")?.dataset.petitionId || "";
  const update = debounce(async () => {
    if (typedByHand) return;
    const query = new URLSearchParams({ title: title.value, petition_id: petitionId });
    const response = await fetch(`/studio/slug-for?${query}`, { credentials: "same-origin" });
    if (response.ok && !typedByHand) slug.value = (await response.json()).slug;
  });
  // A slug filled in by this script is not "typed by hand"; one the campaigner edits is theirs.
  slug.addEventListener("input", () => { typedByHand = slug.value !== ""; });
  title.addEventListener("input", update);
  if (!slug.value && title.value) update();
}

function previewMarkdown(field) {
  const target = document.getElementById(field.dataset.markdownPreview);
  if (!target) return;
  const form = field.form;
  const render = debounce(async () => {
    const body = new URLSearchParams({ source: field.value, csrf_token: csrfToken(form) });
    const response = await fetch("/studio/markdown-preview", {
      method: "POST",
      body,
      credentials: "same-origin",
      headers: { "X-CSRFToken": csrfToken(form) },
    });
    // Rendered and sanitised by the server (nh3), as on save.
    if (response.ok) target.innerHTML = await response.text();
  });
  field.addEventListener("input", render);
  render();
}

document.querySelectorAll("input[data-slug-from]").forEach(followTitle);
document.querySelectorAll("textarea[data-markdown-preview]").forEach(previewMarkdown);
