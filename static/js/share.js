// The share step: the device's own share sheet where there is one, a copy button for the link.
// Plain links per channel stay for everyone else (and without JavaScript).
for (const box of document.querySelectorAll(".share-box")) {
  const data = { title: box.dataset.shareTitle, text: box.dataset.shareText, url: box.dataset.shareUrl };
  const native = box.querySelector(".share-native");
  if (navigator.share && (!navigator.canShare || navigator.canShare(data))) {
    native.hidden = false;
    native.querySelector("button").addEventListener("click", () => navigator.share(data).catch(() => {}));
  }
  const copy = box.querySelector("[data-copy]");
  const status = box.querySelector("[data-copied]");
  if (copy && navigator.clipboard) {
    copy.hidden = false;
    copy.addEventListener("click", async () => {
      await navigator.clipboard.writeText(data.url);
      status.textContent = status.dataset.copied;
    });
  }
}
