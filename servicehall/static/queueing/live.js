/* Live queue pages: one EventSource per page; each event re-fetches the page's partials.
 *
 * <body data-live-url="/queue/events/?hall=1" data-live-after="123" data-live-refresh-every="60">
 * <div data-live-src="/queue/board/panel/" data-live-filter="counter:3"> … </div>
 *
 * The browser resumes with Last-Event-ID after a dropped connection; if the stream is closed for
 * good (server restart answered with an error) we reopen it with ?after=<last id seen>. After any
 * reconnect every partial is refreshed once, so the page is right even if events were trimmed.
 * Other scripts listen to `sh:live` (detail = the event's JSON) on document.
 */
(function () {
  "use strict";
  // Django's JavaScript catalogue (/jsi18n/) translates when loaded; Chinese is the source text.
  var gettext = window.gettext || function (s) { return s; };
  var body = document.body;
  var url = body.dataset.liveUrl;
  if (!url) return;
  var lastId = parseInt(body.dataset.liveAfter || "0", 10) || 0;
  var source = null;
  var opened = false;
  var pending = new Map();
  var inflight = new Set();
  window.shLive = {
    events: [], status: "connecting", lastId: function () { return lastId; }, refreshAll: refreshAll,
    // for tests and for a screen's "reconnect" gesture: drop the stream / open it again from the last id seen
    drop: function () { if (source) { source.close(); source = null; } setStatus("dropped"); },
    reconnect: function () { if (source) source.close(); opened = true; connect(); },
  };

  function setStatus(s) {
    window.shLive.status = s;
    body.dataset.liveStatus = s;
    var dot = document.querySelector("[data-live-indicator]");
    if (dot) { dot.className = "sh-live-dot sh-live-" + s; dot.title = s === "open" ? gettext("实时连接正常") : gettext("正在重新连接…"); }
  }

  // data-live-filter="counter:3;kinds:a,b" — every clause must match
  function clause(f, ev) {
    var parts = f.split(":");
    if (parts[0] === "counter") {
      var n = parseInt(parts[1], 10);
      return (ev.counter && ev.counter.number === n) || (ev.ticket && ev.ticket.counter_number === n);
    }
    if (parts[0] === "kinds") return parts[1].split(",").indexOf(ev.kind) >= 0;
    return true;
  }
  function matches(el, ev) {
    var f = el.dataset.liveFilter;
    if (!f || !ev) return true;
    return f.split(";").every(function (c) { return clause(c, ev); });
  }

  function refresh(el) {
    if (inflight.has(el)) { pending.set(el, true); return; }
    inflight.add(el);
    fetch(el.dataset.liveSrc, { headers: { "HX-Request": "true" }, credentials: "same-origin", cache: "no-store" })
      .then(function (r) { return r.ok ? r.text() : Promise.reject(r.status); })
      .then(function (html) {
        if (busy(el)) { deferred.add(el); return; }
        el.innerHTML = html;
        if (window.htmx) window.htmx.process(el);
        el.dispatchEvent(new CustomEvent("sh:refreshed", { bubbles: true }));
      })
      .catch(function () { /* the next event or reconnect refreshes again */ })
      .finally(function () {
        inflight.delete(el);
        if (pending.get(el)) { pending.delete(el); refresh(el); }
      });
  }

  // Never pull the rug from under someone typing or ticking boxes: a partial whose form was touched
  // (or holds the focus) is refreshed once the user is done (form submitted or focus gone).
  // Nor from under an action awaiting its answer: htmx answers into the page the action's element
  // belongs to, so a partial replaced in between lost the answer's message (OOB) and any refusal.
  // Nor from under a press: a button replaced between the pointer going down and coming up gets no click
  // (the press and the release meet different elements). A press held longer than 3 s no longer counts.
  var deferred = new Set();
  var pressed = null, pressedAt = 0;
  document.addEventListener("pointerdown", function (e) { pressed = e.target; pressedAt = Date.now(); }, true);
  function released() { pressed = null; setTimeout(refreshDeferred, 0); }  // after the click it makes
  document.addEventListener("pointerup", released, true);
  document.addEventListener("pointercancel", released, true);
  function busy(el) {
    if (pressed && Date.now() - pressedAt < 3000 && el.contains(pressed)) return true;
    if (el.querySelector("." + ((window.htmx && window.htmx.config.requestClass) || "htmx-request"))) return true;
    if (el.dataset.liveKeepFocus === undefined) return false;
    var f = document.activeElement;
    var focused = f && f !== document.body && el.contains(f) && /^(INPUT|SELECT|TEXTAREA)$/.test(f.tagName);
    return focused || !!el.querySelector("form[data-dirty]");
  }
  document.addEventListener("input", function (e) { var f = e.target.closest && e.target.closest("form"); if (f) f.dataset.dirty = "1"; });
  document.addEventListener("change", function (e) { var f = e.target.closest && e.target.closest("form"); if (f) f.dataset.dirty = "1"; });
  document.addEventListener("htmx:beforeRequest", function (e) { var f = e.detail.elt.closest && e.detail.elt.closest("form"); if (f) delete f.dataset.dirty; });
  function refreshDeferred() {
    deferred.forEach(function (el) { if (!busy(el)) { deferred.delete(el); refresh(el); } });
  }
  setInterval(refreshDeferred, 1500);
  document.addEventListener("htmx:afterRequest", function () { setTimeout(refreshDeferred, 0); });

  var timer = null;
  var queued = new Set();
  function schedule(ev) {
    document.querySelectorAll("[data-live-src]").forEach(function (el) { if (matches(el, ev)) queued.add(el); });
    if (timer) return;
    timer = setTimeout(function () {
      timer = null;
      var els = Array.from(queued); queued.clear();
      els.forEach(refresh);
    }, 60);
  }

  function refreshAll() { document.querySelectorAll("[data-live-src]").forEach(refresh); }

  function onMessage(e) {
    var id = parseInt(e.lastEventId, 10);
    if (id > lastId) lastId = id;
    var data;
    try { data = JSON.parse(e.data); } catch (err) { return; }
    window.shLive.events.push(data.kind);
    if (window.shLive.events.length > 200) window.shLive.events.shift();
    schedule(data);
    document.dispatchEvent(new CustomEvent("sh:live", { detail: data }));
  }

  var KINDS = ["ticket_taken", "ticket_called", "ticket_recalled", "ticket_no_show", "service_started",
    "service_finished", "ticket_transferred", "ticket_requeued", "ticket_cancelled", "counter_opened", "counter_closed",
    "counter_paused", "counter_resumed", "rating_received", "over_limit", "surge_opened", "surge_closed", "queue_moved"];

  function connect() {
    var sep = url.indexOf("?") >= 0 ? "&" : "?";
    source = new EventSource(url + sep + "after=" + lastId);
    source.onopen = function () {
      if (opened) refreshAll();  // a reconnect: make sure nothing is stale
      opened = true;
      setStatus("open");
    };
    source.onmessage = onMessage;
    KINDS.forEach(function (k) { source.addEventListener(k, onMessage); });
    source.onerror = function () {
      setStatus("reconnecting");
      if (source.readyState === EventSource.CLOSED) {
        source = null;
        setTimeout(connect, 3000);
      }
    };
  }
  connect();
  // <body data-live-refresh-every="60">: refresh every partial that often, for figures that grow with time
  // (waits), not only with events.
  var every = parseInt(body.dataset.liveRefreshEvery || "0", 10);
  if (every > 0) setInterval(refreshAll, every * 1000);
  window.addEventListener("beforeunload", function () { if (source) source.close(); });
})();
