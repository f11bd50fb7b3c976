// Behaviour that would otherwise be inline handlers, which the Content-Security-Policy
// forbids. Listeners sit on the document so content that htmx swaps in behaves the same.
"use strict";

// The main menu's groups and the account menu (<details class="group">): one open at a time;
// Escape closes it and gives the focus back to its name; a click elsewhere closes it.
document.addEventListener("toggle", (event) => {
  const opened = event.target;
  if (opened instanceof HTMLDetailsElement && opened.classList.contains("group") && opened.open) {
    for (const other of document.querySelectorAll("details.group[open]")) {
      if (other !== opened) other.open = false;
    }
  }
}, true); // "toggle" does not bubble: listened to on its way down
document.addEventListener("keydown", (event) => {
  const open = document.querySelector("details.group[open]");
  if (event.key === "Escape" && open) {
    open.open = false;
    open.querySelector("summary")?.focus();
  }
});
// The focus leaving an open group (Tab past its last link) closes it, so it never covers
// the part of the page being read.
document.addEventListener("focusout", (event) => {
  const group = event.target instanceof Element ? event.target.closest("details.group[open]") : null;
  const next = event.relatedTarget;
  if (group && next instanceof Node && !group.contains(next)) group.open = false;
});
document.addEventListener("click", (event) => {
  if (event.target instanceof Element && event.target.closest("details.group")) return;
  for (const open of document.querySelectorAll("details.group[open]")) open.open = false;
});

// A form that comes back with errors: the focus goes to the first field in error (a screen
// reader reads its label and its message), else to the message, so nobody has to look for it.
document.addEventListener("DOMContentLoaded", () => {
  const field = document.querySelector("main [aria-invalid='true']");
  if (field instanceof HTMLElement) {
    field.focus();
    return;
  }
  const message = document.querySelector("main .errorlist, main .messages .error");
  if (message instanceof HTMLElement) {
    message.setAttribute("tabindex", "-1");
    message.focus();
  }
});

// <button data-print>: prints the page.
document.addEventListener("click", (event) => {
  if (event.target instanceof Element && event.target.closest("[data-print]")) {
    window.print();
  }
});

// A box that scrolls sideways (a wide table on a phone, the board of cards) can be reached
// with Tab and scrolled with the arrow keys, like any scrolling region (WCAG 2.1.1). Only a
// box that does scroll is made a tab stop; it is checked again when the window changes size
// and when htmx swaps content in.
const SCROLLERS = "table, .board, .chart-scroll";
function reachableScrollers() {
  for (const box of document.querySelectorAll(SCROLLERS)) {
    const scrolls = box.scrollWidth > box.clientWidth + 1;
    if (scrolls && !box.hasAttribute("tabindex")) {
      box.setAttribute("tabindex", "0");
      box.dataset.scrolls = "";
    } else if (!scrolls && "scrolls" in box.dataset) {
      box.removeAttribute("tabindex");
      delete box.dataset.scrolls;
    }
  }
}
document.addEventListener("DOMContentLoaded", reachableScrollers);
document.addEventListener("htmx:afterSettle", reachableScrollers);
window.addEventListener("resize", reachableScrollers);
