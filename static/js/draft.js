// Keeps what a member writes in a forum composer in this browser until it is posted, so that a post that fails
// (far too large, a lost connection, a server error) never loses the text: coming back to the composer brings
// it back. Composers opt in with data-draft="<member id>:<what>" on their form (one draft per topic reply or
// per new topic in a category). Drafts stay on this device only, belong to one member, expire after a week
// and are wiped when anyone signs out here: a shared computer must not keep someone's words.
(function () {
  "use strict";

  var PREFIX = "draft:";
  var SENT = "draft-sent";
  var WEEK = 7 * 24 * 60 * 60 * 1000;

  var local, session;
  try {
    local = window.localStorage;
    session = window.sessionStorage;
  } catch (e) {
    return; // storage blocked: the composer works as before, without drafts
  }

  function read(key) {
    try {
      var draft = JSON.parse(local.getItem(key));
      return draft && draft.fields && Date.now() - draft.saved < WEEK ? draft : null;
    } catch (e) {
      return null;
    }
  }

  function write(key, fields) {
    try {
      local.setItem(key, JSON.stringify({ saved: Date.now(), fields: fields }));
    } catch (e) {
      // Storage full (a huge paste): the last draft that fitted stays.
    }
  }

  function remove(key) {
    try {
      local.removeItem(key);
    } catch (e) {
      /* nothing to do */
    }
  }

  function allDraftKeys() {
    var keys = [];
    for (var i = 0; i < local.length; i++) {
      var key = local.key(i);
      if (key && key.indexOf(PREFIX) === 0) keys.push(key);
    }
    return keys;
  }

  allDraftKeys().forEach(function (key) {
    if (!read(key)) remove(key);
  });

  document.querySelectorAll('form[action$="/accounts/logout/"]').forEach(function (form) {
    form.addEventListener("submit", function () {
      allDraftKeys().forEach(remove);
    });
  });

  // A post was sent from a composer on the previous page. It went through unless this page says otherwise: an
  // error page marks itself (data-draft-keep), and a composer for the same draft means the post came back with
  // a problem or the member returned to it. The topic page after a reply also has that composer, but it is
  // reached at the new post's anchor.
  var sent = session.getItem(SENT);
  if (sent) {
    session.removeItem(SENT);
    var keep = document.querySelector("[data-draft-keep]");
    var sameComposer = document.querySelector('form[data-draft="' + sent.slice(PREFIX.length) + '"]');
    var atNewPost = /^#post-\d+$/.test(window.location.hash);
    if (!keep && (!sameComposer || atNewPost)) remove(sent);
  }

  document.querySelectorAll("form[data-draft]").forEach(function (form) {
    var key = PREFIX + form.getAttribute("data-draft");
    var fields = Array.prototype.filter.call(form.elements, function (el) {
      return el.name && (el.tagName === "TEXTAREA" || (el.tagName === "INPUT" && el.type === "text"));
    });
    if (!fields.length) return;

    function values() {
      var out = {};
      fields.forEach(function (el) {
        out[el.name] = el.value;
      });
      return out;
    }

    function save() {
      var current = values();
      var empty = fields.every(function (el) {
        return !el.value.trim();
      });
      if (empty) remove(key);
      else write(key, current);
    }

    // Restore only into an empty composer: text the server put there (a quote, a post sent back with a
    // problem) is newer than the draft.
    var draft = read(key);
    var untouched = fields.every(function (el) {
      return !el.value.trim();
    });
    if (draft && untouched) {
      fields.forEach(function (el) {
        if (typeof draft.fields[el.name] === "string") el.value = draft.fields[el.name];
      });
      var note = document.createElement("p");
      note.className = "notice draft-note";
      note.setAttribute("role", "status");
      note.textContent = "Welcome back: what you were writing here was kept in this browser, and it is below.";
      form.parentNode.insertBefore(note, form);
    }

    var timer = null;
    form.addEventListener("input", function () {
      window.clearTimeout(timer);
      timer = window.setTimeout(save, 400);
    });
    form.addEventListener("submit", function () {
      window.clearTimeout(timer);
      save();
      session.setItem(SENT, key);
    });
  });
})();
