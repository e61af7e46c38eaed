// The support page, while a member waits: ask every few seconds whether someone answered, and when they have,
// say so (the status region is announced) with a link to the conversation. Without script the page still says
// what to do; reloading it shows the link.
(function () {
  "use strict";
  var box = document.getElementById("support-status");
  if (!box) return;
  var url = box.getAttribute("data-status-url");
  var timer = null;
  function check() {
    fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (data) {
        if (!data || data.state !== "answered") return;
        window.clearInterval(timer);
        var p = document.createElement("p");
        var strong = document.createElement("strong");
        strong.textContent = "A supporter is here for you. ";
        var link = document.createElement("a");
        link.href = data.url;
        link.textContent = "Open your conversation";
        p.appendChild(strong);
        p.appendChild(link);
        box.replaceChildren(p);
      })
      .catch(function () { /* the next tick tries again */ });
  }
  timer = window.setInterval(check, 5000);
})();
