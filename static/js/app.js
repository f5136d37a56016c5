// Progressive enhancement only: every page works without this file.
document.addEventListener("DOMContentLoaded", function () {
  // Move focus to the error summary, so keyboard and screen reader users hear the problems first.
  var summary = document.querySelector("[data-module='error-summary']");
  if (summary) {
    summary.focus();
    // Each link in the summary moves focus to its field, and scrolls so that the field's label or legend shows.
    summary.querySelectorAll("a[href^='#']").forEach(function (link) {
      link.addEventListener("click", function (event) {
        var target = document.getElementById(decodeURIComponent(link.getAttribute("href").slice(1)));
        // A group of radios or checkboxes is linked by its wrapper: its first option takes focus.
        var controls = "input, select, textarea";
        var field = target && (target.matches(controls) ? target : target.querySelector(controls));
        if (!field) {
          return;
        }
        event.preventDefault();
        var fieldset = field.closest("fieldset");
        var legend = fieldset && fieldset.querySelector("legend");
        var label = field.id && document.querySelector("label[for='" + field.id + "']");
        (legend || label || field).scrollIntoView();
        field.focus({ preventScroll: true });
      });
    });
  }
  // Print buttons (the meeting record).
  document.querySelectorAll("[data-print]").forEach(function (button) {
    button.addEventListener("click", function () { window.print(); });
  });
  // A wide table scrolls sideways inside its own box on a narrow screen (the page itself never does). Such a box
  // takes keyboard focus, so that it can be scrolled with the arrow keys, and is named after its table.
  var count = 0;
  function headingBefore(element) {
    var found = "";
    document.querySelectorAll("h1, h2, h3, h4").forEach(function (heading) {
      if (heading.compareDocumentPosition(element) & Node.DOCUMENT_POSITION_FOLLOWING) {
        found = heading.textContent.trim();
      }
    });
    return found;
  }
  function markScrollingTables() {
    document.querySelectorAll(".table-wrap").forEach(function (wrap) {
      if (wrap.scrollWidth > wrap.clientWidth + 1) {
        if (wrap.hasAttribute("tabindex")) {
          return;
        }
        var caption = wrap.querySelector("caption");
        wrap.setAttribute("tabindex", "0");
        wrap.setAttribute("role", "region");
        wrap.setAttribute("data-scroll-region", "");
        if (caption && caption.textContent.trim()) {
          caption.id = caption.id || "table-caption-" + (++count);
          wrap.setAttribute("aria-labelledby", caption.id);
        } else {
          wrap.setAttribute("aria-label", headingBefore(wrap) || "Table");
        }
      } else if (wrap.hasAttribute("data-scroll-region")) {
        wrap.removeAttribute("data-scroll-region");
        wrap.removeAttribute("tabindex");
        wrap.removeAttribute("role");
        wrap.removeAttribute("aria-labelledby");
        wrap.removeAttribute("aria-label");
      }
    });
  }
  markScrollingTables();
  var resizing = null;
  window.addEventListener("resize", function () {
    clearTimeout(resizing);
    resizing = setTimeout(markScrollingTables, 100);
  });
});
