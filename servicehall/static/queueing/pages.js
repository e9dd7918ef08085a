/* Shared behaviour of the queue pages: refused actions shown in Chinese, running timers,
 * keyboard shortcuts on the counter console, the kiosk's keypad and ticket screen, the pad's score
 * buttons and the phone's vibration on a call (no inline scripts: the CSP forbids them). */
(function () {
  "use strict";
  // Django's JavaScript catalogue (/jsi18n/) translates when loaded; Chinese is the source text.
  var gettext = window.gettext || function (s) { return s; };

  // A refused action (4xx with the Chinese message fragment) is shown in the page's flash area
  // instead of being dropped; anything else unexpected gets a generic message.
  document.addEventListener("htmx:beforeSwap", function (e) {
    var status = e.detail.xhr.status;
    if (status >= 400) {
      var flash = document.querySelector("[data-flash]");
      if (!flash) return;
      e.detail.shouldSwap = true;
      e.detail.isError = false;
      e.detail.target = flash;
      e.detail.swapOverride = "innerHTML";
      if (status >= 500 || !/data-testid="error-message"/.test(e.detail.serverResponse)) {
        e.detail.serverResponse = '<div class="alert alert-danger" data-testid="error-message">' + gettext("操作未完成，请稍后重试。") + '</div>';
      }
    }
  });
  document.addEventListener("htmx:sendError", function () {
    var flash = document.querySelector("[data-flash]");
    if (flash) flash.innerHTML = '<div class="alert alert-danger" data-testid="error-message">' + gettext("网络连接中断，请稍后重试。") + '</div>';
  });
  document.addEventListener("htmx:beforeRequest", function (e) {
    var flash = document.querySelector("[data-flash]");
    if (flash) flash.innerHTML = "";
    var ok = document.getElementById("console-flash-area");
    if (ok) ok.innerHTML = "";
  });

  // Running timers: <span data-timer-start="ISO" data-timer-limit="seconds"> turns red over the limit.
  function fmt(s) {
    s = Math.max(0, Math.floor(s));
    var m = Math.floor(s / 60), r = s % 60;
    return (m < 10 ? "0" : "") + m + ":" + (r < 10 ? "0" : "") + r;
  }
  function tick() {
    var now = Date.now();
    document.querySelectorAll("[data-timer-start]").forEach(function (el) {
      var started = Date.parse(el.dataset.timerStart);
      var offset = parseFloat(el.dataset.timerOffset || "0");
      var elapsed = (now - started) / 1000 + offset;
      var limit = parseInt(el.dataset.timerLimit || "0", 10);
      el.textContent = fmt(elapsed) + (limit ? " / " + fmt(limit) : "");
      var over = limit && elapsed > limit;
      el.classList.toggle("sh-over", !!over);
      var box = el.closest("[data-timer-box]");
      if (box) box.classList.toggle("sh-over-box", !!over);
    });
  }
  setInterval(tick, 1000);
  document.addEventListener("DOMContentLoaded", tick);
  document.addEventListener("sh:refreshed", tick);
  document.addEventListener("htmx:afterSwap", tick);

  // Keyboard shortcuts: any element with data-key="n" is clicked on that key (not while typing).
  document.addEventListener("keydown", function (e) {
    if (e.ctrlKey || e.metaKey || e.altKey) return;
    var t = e.target;
    if (t && (t.tagName === "INPUT" || t.tagName === "TEXTAREA" || t.tagName === "SELECT" || t.isContentEditable)) return;
    var key = (e.key || "").toLowerCase();
    if (key === "escape") {
      document.querySelectorAll("details[open][data-form]").forEach(function (d) { d.open = false; });
      return;
    }
    var el = document.querySelector('[data-key="' + key + '"]:not([disabled])');
    if (!el) return;
    e.preventDefault();
    if (el.tagName === "SUMMARY") { el.parentElement.open = !el.parentElement.open; var f = el.parentElement.querySelector("select,input,textarea,button"); if (f && el.parentElement.open) f.focus(); }
    else el.click();
  });
  // The kiosk: an on-screen keyboard for the appointment code and the priority grant code (a touch screen without
  // a keyboard); it types into whichever of them was focused last.
  function keypad() {
    var inputs = document.querySelectorAll("[data-keypad-input]"), pad = document.querySelector("[data-keypad]"), input = null;
    if (!inputs.length || !pad) return;
    inputs.forEach(function (el) {
      el.setAttribute("inputmode", "none");
      el.addEventListener("focus", function () { input = el; pad.hidden = false; });
    });
    pad.addEventListener("click", function (e) {
      var k = e.target.dataset && e.target.dataset.k;
      if (!k || !input) return;
      if (k === "back") input.value = input.value.slice(0, -1);
      else if (k === "clear") input.value = "";
      else if (input.value.length < parseInt(input.getAttribute("maxlength") || "12", 10)) input.value += k;
      input.focus();
    });
  }

  // The kiosk's ticket screen: print when asked, then back to the kiosk for the next customer.
  function ticketScreen() {
    var body = document.body;
    if (body.dataset.autoprint === "1") window.addEventListener("load", function () { window.print(); });
    if (body.dataset.returnTo) {
      setTimeout(function () { window.location.href = body.dataset.returnTo; }, 1000 * parseInt(body.dataset.returnAfter || "30", 10));
    }
  }

  // The pad: a score button fills the form; 不满意 first asks for the reasons.
  document.addEventListener("click", function (e) {
    var b = e.target.closest && e.target.closest("[data-score]");
    if (!b) return;
    var form = b.closest("form");
    form.querySelector("input[name=score]").value = b.dataset.score;
    if (b.dataset.score === "dissatisfied") {
      e.preventDefault();
      form.querySelector("[data-reasons]").hidden = false;
    }
  });

  // The customer's phone vibrates when their ticket is called.
  document.addEventListener("sh:live", function (e) {
    if (document.body.hasAttribute("data-vibrate-on-call") && (e.detail.kind === "ticket_called" || e.detail.kind === "ticket_recalled")) {
      if (navigator.vibrate) navigator.vibrate([300, 150, 300]);
    }
  });

  document.addEventListener("DOMContentLoaded", function () { keypad(); ticketScreen(); });
})();
