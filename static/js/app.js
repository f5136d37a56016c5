// Progressive enhancement only: every page works without this file.
document.addEventListener("DOMContentLoaded", function () {
  // Move focus to the error summary, so keyboard and screen reader users hear the problems first.
  var summary = document.querySelector("[data-module='error-summary']");
  if (summary) {
    summary.focus();
  }
  // Print buttons (the meeting record).
  document.querySelectorAll("[data-print]").forEach(function (button) {
    button.addEventListener("click", function () { window.print(); });
  });
});
