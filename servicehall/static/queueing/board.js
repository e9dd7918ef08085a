/* Display board announcements: a WebAudio chime, then "请 A012 号到 3 号窗口办理" spoken by the
 * browser (zh-CN voice) or, where the browser has none, played from the server's espeak-ng WAV.
 * Announcements are queued and also shown as a banner, so a silent screen still shows the call. */
(function () {
  "use strict";
  var body = document.body;
  var serverTts = body.dataset.ttsUrl || "";
  var queue = [];
  var busy = false;
  window.shBoard = { announced: [], mode: "none" };

  function zhVoice() {
    if (!("speechSynthesis" in window)) return null;
    var voices = window.speechSynthesis.getVoices() || [];
    for (var i = 0; i < voices.length; i++) {
      var lang = (voices[i].lang || "").toLowerCase();
      if (lang.indexOf("zh") === 0 || lang.indexOf("cmn") === 0) return voices[i];
    }
    return null;
  }

  function chime() {
    return new Promise(function (resolve) {
      try {
        var Ctx = window.AudioContext || window.webkitAudioContext;
        if (!Ctx) return resolve();
        var ctx = window.__shAudio || (window.__shAudio = new Ctx());
        if (ctx.state === "suspended" && ctx.resume) ctx.resume();
        var t = ctx.currentTime;
        [[880, 0], [660, 0.35]].forEach(function (n) {
          var o = ctx.createOscillator(), g = ctx.createGain();
          o.type = "sine"; o.frequency.value = n[0];
          g.gain.setValueAtTime(0.0001, t + n[1]);
          g.gain.exponentialRampToValueAtTime(0.4, t + n[1] + 0.02);
          g.gain.exponentialRampToValueAtTime(0.0001, t + n[1] + 0.6);
          o.connect(g); g.connect(ctx.destination);
          o.start(t + n[1]); o.stop(t + n[1] + 0.65);
        });
        setTimeout(resolve, 1000);
      } catch (err) { resolve(); }
    });
  }

  function speak(text) {
    return new Promise(function (resolve) {
      var done = false;
      function finish() { if (!done) { done = true; resolve(); } }
      setTimeout(finish, 8000);  // never let a stuck voice block the queue
      var voice = zhVoice();
      if (voice) {
        window.shBoard.mode = "speech";
        var u = new SpeechSynthesisUtterance(text);
        u.voice = voice; u.lang = voice.lang; u.rate = 0.9;
        u.onend = finish; u.onerror = finish;
        window.speechSynthesis.speak(u);
        return;
      }
      if (serverTts) {
        window.shBoard.mode = "server";
        var audio = new Audio(serverTts + "?text=" + encodeURIComponent(text));
        audio.onended = finish; audio.onerror = finish;
        var p = audio.play();
        if (p && p.catch) p.catch(finish);
        return;
      }
      window.shBoard.mode = "none";
      finish();
    });
  }

  function showBanner(item) {
    var el = document.querySelector("[data-call-banner]");
    if (!el) return;
    el.querySelector("[data-call-code]").textContent = item.code;
    el.querySelector("[data-call-counter]").textContent = item.counter;
    el.classList.remove("sh-flash"); void el.offsetWidth; el.classList.add("sh-flash");
    el.hidden = false;
  }

  function next() {
    if (busy || !queue.length) return;
    busy = true;
    var item = queue.shift();
    var text = "请 " + item.code + " 号到 " + item.counter + " 号窗口办理";
    window.shBoard.announced.push(text);
    showBanner(item);
    chime().then(function () { return speak(text); }).then(function () { return speak(text); })
      .then(function () { busy = false; next(); });
  }

  document.addEventListener("sh:live", function (e) {
    var ev = e.detail;
    if ((ev.kind === "ticket_called" || ev.kind === "ticket_recalled") && ev.ticket && ev.ticket.counter_number) {
      queue.push({ code: ev.ticket.code, counter: ev.ticket.counter_number });
      next();
    }
  });
  if ("speechSynthesis" in window && window.speechSynthesis.addEventListener) {
    window.speechSynthesis.addEventListener("voiceschanged", function () {});
  }

  // A clock on the board.
  function clock() {
    var el = document.querySelector("[data-clock]");
    if (!el) return;
    var d = new Date();
    el.textContent = d.toLocaleTimeString("zh-CN", { hour: "2-digit", minute: "2-digit", second: "2-digit", hour12: false, timeZone: "Asia/Shanghai" });
  }
  setInterval(clock, 1000); clock();
})();
