// The studio's image page: a click on the whole picture sets the focal point (two percentages) and
// a ring shows where it is; typing the numbers moves the ring too.
const picker = document.querySelector(".focus-picker");
if (picker) {
  const image = picker.querySelector("img");
  const mark = picker.querySelector(".focus-mark");
  const x = document.getElementById(picker.dataset.focusX);
  const y = document.getElementById(picker.dataset.focusY);
  const clamp = (value) => Math.min(100, Math.max(0, Math.round(value)));
  const place = () => {
    mark.style.left = `${clamp(Number(x.value) || 0)}%`;
    mark.style.top = `${clamp(Number(y.value) || 0)}%`;
    mark.hidden = false;
  };
  image.addEventListener("click", (event) => {
    const box = image.getBoundingClientRect();
    x.value = clamp(((event.clientX - box.left) / box.width) * 100);
    y.value = clamp(((event.clientY - box.top) / box.height) * 100);
    place();
  });
  x.addEventListener("input", place);
  y.addEventListener("input", place);
  place();
}
