/* Small behaviours the templates ask for with data attributes. The Content-Security-Policy allows no
 * inline script or on…= handler, so this file is where they live:
 *   <select data-autosubmit>         submits its form when changed
 *   <button data-print>              prints the page
 *   <a data-history-back href="/">   goes back (the href is the fallback without script)
 *   <form data-confirm="…">          asks before submitting
 *   <form data-reset-on-success>     clears itself after a successful htmx request
 * and on a phone the navigation's rows (one swipeable row each) start scrolled to their current entry.
 */
(function () {
  "use strict";
  // htmx binds what it swaps in only when the swap settles, 20 ms later by default: a button clicked (or
  // its shortcut key pressed) in between did nothing. Settling at once binds it in the same task as the swap.
  if (window.htmx) window.htmx.config.defaultSettleDelay = 0;
  document.addEventListener("change", function (e) {
    var el = e.target;
    if (el.form && el.hasAttribute && el.hasAttribute("data-autosubmit")) el.form.submit();
  });
  document.addEventListener("click", function (e) {
    var el = e.target.closest && e.target.closest("[data-print], [data-history-back]");
    if (!el) return;
    e.preventDefault();
    if (el.hasAttribute("data-print")) window.print();
    else if (window.history.length > 1) window.history.back();
    else window.location.href = el.getAttribute("href");
  });
  document.addEventListener("submit", function (e) {
    var question = e.target.dataset && e.target.dataset.confirm;
    if (question && !window.confirm(question)) e.preventDefault();
  }, true);
  // A row scrolls sideways on a phone: show its current entry without moving the page itself.
  document.querySelectorAll(".sh-nav .navbar-nav").forEach(function (row) {
    var current = row.querySelector(".nav-link.active");
    if (current && row.scrollWidth > row.clientWidth && current.offsetLeft + current.offsetWidth > row.clientWidth) {
      row.scrollLeft = current.offsetLeft - 16;
    }
  });
  document.addEventListener("htmx:afterRequest", function (e) {
    var form = e.target;
    if (e.detail.successful && form.hasAttribute && form.hasAttribute("data-reset-on-success")) form.reset();
  });
})();
