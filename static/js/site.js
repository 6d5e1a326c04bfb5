// Progressive enhancement only: every page works without this file.
document.addEventListener("DOMContentLoaded", () => {
  // Move focus to an error summary so screen-reader and keyboard users land on it.
  const summary = document.querySelector("[data-error-summary]");
  if (summary) summary.focus();

  // Wide screens show the header's menus without "Menu" (site.css); a browser that cannot style
  // ::details-content gets the <details> opened there instead.
  const menu = document.querySelector(".site-menu");
  if (menu && !(window.CSS && CSS.supports("selector(::details-content)"))) {
    const wide = window.matchMedia("(min-width: 64rem)");
    const sync = () => { menu.open = wide.matches; };
    sync();
    wide.addEventListener("change", sync);
  }

  // Ask before destructive POST buttons.
  document.querySelectorAll("button[data-confirm]").forEach((button) => {
    button.addEventListener("click", (event) => {
      if (!window.confirm(button.dataset.confirm)) event.preventDefault();
    });
  });
});
