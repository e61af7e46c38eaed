// Keeps the Notifications badge in the header up to date while a page is open: the server sends
// {"type": "unread", "count": n} on /ws/notifications/ when the socket opens and whenever the member's notices
// change. Without WebSocket (or without the badge) the page works as before: the count is right on each load.
// A lost connection is tried again with a growing, jittered delay; a 4401 close (signed out) is final.
(function () {
  "use strict";

  var badge = document.querySelector("[data-bell-socket]");
  if (!badge || !window.WebSocket || !window.JSON) return;

  var path = badge.getAttribute("data-bell-socket");
  var NOT_SIGNED_IN = 4401;
  var MAX_DELAY = 60000;
  var socket = null;
  var tries = 0;
  var timer = null;
  var leaving = false;

  function show(count) {
    if (count > 0) {
      badge.textContent = String(count);
      badge.setAttribute("aria-label", count + " unread");
      badge.hidden = false;
    } else {
      badge.textContent = "";
      badge.removeAttribute("aria-label");
      badge.hidden = true;
    }
  }

  function connect() {
    timer = null;
    var scheme = location.protocol === "https:" ? "wss://" : "ws://";
    try {
      socket = new WebSocket(scheme + location.host + path);
    } catch (e) {
      return; // blocked by the browser or a policy: the badge keeps the count the page came with
    }
    socket.onopen = function () {
      tries = 0;
    };
    socket.onmessage = function (event) {
      var frame;
      try {
        frame = JSON.parse(event.data);
      } catch (e) {
        return;
      }
      if (frame && frame.type === "unread" && typeof frame.count === "number") show(frame.count);
    };
    socket.onclose = function (event) {
      socket = null;
      if (leaving || event.code === NOT_SIGNED_IN) return;
      later();
    };
  }

  function later() {
    if (timer) return;
    tries += 1;
    // Exponential backoff with jitter, so that a restarted server is not met by every open page at once.
    var delay = Math.min(MAX_DELAY, 1000 * Math.pow(2, Math.min(tries, 10)));
    timer = window.setTimeout(connect, delay / 2 + Math.random() * (delay / 2));
  }

  // Leaving the page (or putting it in the back-forward cache) closes the socket; coming back opens a new one.
  window.addEventListener("pagehide", function () {
    leaving = true;
    if (timer) window.clearTimeout(timer);
    timer = null;
    if (socket) socket.close();
  });
  window.addEventListener("pageshow", function (event) {
    if (!event.persisted) return;
    leaving = false;
    tries = 0;
    if (!socket && !timer) connect();
  });

  connect();
})();
