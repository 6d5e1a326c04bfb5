// Progressive enhancement only: every page works without this file.
document.addEventListener("DOMContentLoaded", () => {
  // Move focus to an error summary so screen-reader and keyboard users land on it.
  const summary = document.querySelector("[data-error-summary]");
  if (summary) summary.focus();

  // Ask before destructive POST buttons.
  document.querySelectorAll("button[data-confirm]").forEach((button) => {
    button.addEventListener("click", (event) => {
      if (!window.confirm(button.dataset.confirm)) event.preventDefault();
    });
  });
});
