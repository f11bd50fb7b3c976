// Behaviour that would otherwise be inline handlers, which the Content-Security-Policy
// forbids. Listeners sit on the document so content that htmx swaps in behaves the same.
"use strict";

// <select data-submit-on-change>: choosing an option submits its form (the language menu).
document.addEventListener("change", (event) => {
  const field = event.target;
  if (field instanceof HTMLSelectElement && field.hasAttribute("data-submit-on-change") && field.form) {
    field.form.submit();
  }
});

// <button data-print>: prints the page.
document.addEventListener("click", (event) => {
  if (event.target instanceof Element && event.target.closest("[data-print]")) {
    window.print();
  }
});
