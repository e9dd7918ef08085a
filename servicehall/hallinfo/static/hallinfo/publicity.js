/* Hall publicity on the kiosk's idle screen and the board's strip: rotate the items, drop an item
   whose expiry passes while the page is open, and on the kiosk show it only after a while untouched. */
(function () {
  "use strict";
  var ROTATE_MS = 8000;

  function live(items) {
    var now = Date.now();
    return items.filter(function (el) { return !el.dataset.expires || Date.parse(el.dataset.expires) > now; });
  }

  function rotator(box) {
    var index = 0, timer = null;
    function paint() {
      var items = live(Array.prototype.slice.call(box.querySelectorAll("[data-idle-item]")));
      box.querySelectorAll("[data-idle-item]").forEach(function (el) { el.hidden = true; });
      if (!items.length) { box.hidden = true; box.dataset.state = "empty"; return false; }
      index = index % items.length;
      items[index].hidden = false;
      box.dataset.index = String(index);
      return true;
    }
    return {
      start: function () { index = 0; if (paint()) { timer = setInterval(function () { index += 1; paint(); }, ROTATE_MS); } return !!timer; },
      stop: function () { clearInterval(timer); timer = null; },
    };
  }

  var strip = document.querySelector("[data-publicity-strip]");
  if (strip) rotator(strip).start();

  var screen = document.querySelector("[data-idle-screen]");
  if (!screen) return;
  var idleMs = parseInt(screen.dataset.idleSeconds || "90", 10) * 1000, wait = null, rot = rotator(screen);
  function show() {
    screen.hidden = false;
    if (rot.start()) screen.dataset.state = "shown";
  }
  function hide() { rot.stop(); screen.hidden = true; screen.dataset.state = "hidden"; arm(); }
  function arm() { clearTimeout(wait); wait = setTimeout(show, idleMs); }
  ["pointerdown", "touchstart", "keydown"].forEach(function (name) {
    document.addEventListener(name, function (e) {
      if (screen.dataset.state === "shown") { e.preventDefault(); e.stopPropagation(); hide(); } else { arm(); }
    }, true);
  });
  arm();
})();
