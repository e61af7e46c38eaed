/* Live chat for one room (DESIGN.md "Chat protocol"). No framework; the page works without this script.
 *
 * Nothing lost, nothing doubled, order kept: messages are kept by id and placed by seq; `contiguous` is the
 * highest seq up to which everything is accounted for. A gap (a seq skipped, a dropped socket) is filled with
 * `catch_up` from `contiguous`, whose `caught_up` also accounts for removed messages that leave holes.
 */
(function () {
  "use strict";

  var root = document.getElementById("chat");
  if (!root || !window.WebSocket) return;

  var list = document.getElementById("messages");
  var scroller = document.getElementById("message-scroll");
  var statusEl = document.getElementById("chat-status");
  var typingEl = document.getElementById("typing");
  var presenceEl = document.getElementById("presence");
  var composer = document.getElementById("composer");
  var textarea = composer && composer.querySelector("textarea");
  var composerError = document.getElementById("composer-error");
  var crisisEl = document.getElementById("crisis-resources");
  var loadEarlier = document.getElementById("load-earlier");
  var emptyNote = document.getElementById("no-messages");
  var reasonsTemplate = document.getElementById("flag-reasons");
  var csrfInput = document.querySelector("input[name=csrfmiddlewaretoken]");

  var userId = Number(root.dataset.userId);
  var canModerate = root.dataset.canModerate === "true";
  var removeUrl = root.dataset.removeUrl;
  var flagUrl = root.dataset.flagUrl;
  var firstSeq = Number(root.dataset.firstSeq);
  var hasMore = root.dataset.hasMore === "true";
  var contiguous = Number(root.dataset.lastSeq) || 0;

  var known = new Set(); // every seq accounted for (shown, or learned to be removed)
  var byId = new Map();
  var socket = null;
  var attempts = 0;
  // Server time of the page or of the last hello: catch_up replays edits and removals made after it.
  var since = root.dataset.now || null;
  var catchingUp = false;
  var catchUpTimer = null;
  var pending = null; // {clientId, body}: a sent message not yet seen back
  var lastTypingSent = 0;
  var typingTimers = new Map();
  var readTimer = null;
  var lastReadSent = 0;
  var highestShown = contiguous;
  var stopped = false;

  function setStatus(text) {
    if (statusEl.textContent !== text) statusEl.textContent = text;
  }

  function csrfField() {
    var input = document.createElement("input");
    input.type = "hidden";
    input.name = "csrfmiddlewaretoken";
    input.value = csrfInput ? csrfInput.value : "";
    return input;
  }

  function formatTime(iso) {
    var date = new Date(iso);
    return date.toLocaleString(undefined, { month: "short", day: "numeric", hour: "numeric", minute: "2-digit" });
  }

  // --- rendering -------------------------------------------------------------------------------------

  function addEditButton(li) {
    if (Number(li.dataset.authorId) !== userId || li.querySelector(".js-edit")) return;
    var button = document.createElement("button");
    button.type = "button";
    button.className = "link-button js-edit";
    button.textContent = "Edit";
    var actions = li.querySelector(".actions");
    actions.insertBefore(button, actions.firstChild);
  }

  function buildMessage(frame) {
    var li = document.createElement("li");
    li.className = "chat-message" + (frame.author.id === userId ? " own" : "");
    li.id = "m-" + frame.id;
    li.dataset.id = frame.id;
    li.dataset.seq = frame.seq;
    li.dataset.authorId = frame.author.id;

    var meta = document.createElement("p");
    meta.className = "meta";
    var author = document.createElement("strong");
    author.className = "author";
    author.textContent = frame.author.name;
    var time = document.createElement("time");
    time.dateTime = frame.created_at;
    time.textContent = formatTime(frame.created_at);
    meta.append(author, " ", time);
    if (frame.edited_at) meta.append(" ", editedMark());

    var body = document.createElement("div");
    body.className = "body";
    body.innerHTML = frame.html; // sanitised on the server (nh3 allow-list)

    var actions = document.createElement("div");
    actions.className = "actions";
    var mine = frame.author.id === userId;
    if (mine || canModerate) {
      var form = document.createElement("form");
      form.method = "post";
      form.action = removeUrl.replace("/0/", "/" + frame.id + "/");
      form.className = "inline js-remove";
      var remove = document.createElement("button");
      remove.type = "submit";
      remove.className = "link-button";
      remove.textContent = "Remove";
      var hidden = document.createElement("span");
      hidden.className = "visually-hidden";
      hidden.textContent = " message from " + frame.author.name;
      remove.append(hidden);
      form.append(csrfField(), remove);
      actions.append(form);
    }
    if (!mine) actions.append(buildFlag(frame));
    li.append(meta, body, actions);
    if (mine) addEditButton(li);
    return li;
  }

  function buildFlag(frame) {
    var details = document.createElement("details");
    details.className = "flag";
    var summary = document.createElement("summary");
    summary.textContent = "Report";
    var hidden = document.createElement("span");
    hidden.className = "visually-hidden";
    hidden.textContent = " message from " + frame.author.name;
    summary.append(hidden);
    var form = document.createElement("form");
    form.method = "post";
    form.action = flagUrl.replace("/0/", "/" + frame.id + "/");
    form.className = "js-flag";
    var reasonLabel = document.createElement("label");
    reasonLabel.htmlFor = "flag-reason-" + frame.id;
    reasonLabel.textContent = "What is the concern?";
    var select = document.createElement("select");
    select.name = "reason";
    select.id = "flag-reason-" + frame.id;
    select.append(reasonsTemplate.content.cloneNode(true));
    var noteLabel = document.createElement("label");
    noteLabel.htmlFor = "flag-note-" + frame.id;
    noteLabel.textContent = "Anything the moderators should know? (optional)";
    var note = document.createElement("textarea");
    note.name = "note";
    note.id = "flag-note-" + frame.id;
    note.rows = 2;
    note.maxLength = 1000;
    var submit = document.createElement("button");
    submit.type = "submit";
    submit.className = "secondary";
    submit.textContent = "Send report";
    form.append(csrfField(), reasonLabel, select, noteLabel, note, submit);
    details.append(summary, form);
    return details;
  }

  function editedMark() {
    var span = document.createElement("span");
    span.className = "edited";
    span.textContent = "(edited)";
    return span;
  }

  function nearBottom() {
    return scroller.scrollHeight - scroller.scrollTop - scroller.clientHeight < 80;
  }

  function placeBySeq(li, seq) {
    var child = list.lastElementChild;
    while (child && Number(child.dataset.seq) > seq) child = child.previousElementSibling;
    list.insertBefore(li, child ? child.nextElementSibling : list.firstElementChild);
  }

  function account(seq) {
    known.add(seq);
    while (known.has(contiguous + 1)) contiguous += 1;
  }

  function showMessage(frame) {
    if (pending && frame.client_id && frame.client_id === pending.clientId) pending = null;
    var typing = typingTimers.get(frame.author.id);
    if (typing) {
      clearTimeout(typing.timer);
      typingTimers.delete(frame.author.id);
      renderTyping();
    }
    var existing = byId.get(frame.id);
    if (existing) {
      existing.querySelector(".body").innerHTML = frame.html;
    } else if (frame.seq >= firstSeq || !hasMore) {
      // Older than the first shown page with more before it: scrollback will bring it in its place.
      var stick = nearBottom();
      var li = buildMessage(frame);
      placeBySeq(li, frame.seq);
      byId.set(frame.id, li);
      if (emptyNote) emptyNote.hidden = true;
      if (stick) scroller.scrollTop = scroller.scrollHeight;
    }
    highestShown = Math.max(highestShown, frame.seq);
    account(frame.seq);
    if (frame.seq > contiguous) requestCatchUp();
    scheduleRead();
  }

  function editMessage(frame) {
    var li = byId.get(frame.id);
    if (!li) return;
    li.querySelector(".body").innerHTML = frame.html;
    var meta = li.querySelector(".meta");
    if (!meta.querySelector(".edited")) meta.append(" ", editedMark());
  }

  function removeMessage(frame) {
    var li = byId.get(frame.id);
    if (li) {
      li.remove();
      byId.delete(frame.id);
    }
    account(frame.seq);
  }

  function showHistory(frame) {
    var stickTo = list.firstElementChild;
    var offset = stickTo ? stickTo.offsetTop - scroller.scrollTop : 0;
    frame.messages.forEach(function (message) {
      if (byId.has(message.id)) return;
      var li = buildMessage(message);
      placeBySeq(li, message.seq);
      byId.set(message.id, li);
      known.add(message.seq);
    });
    if (frame.messages.length) firstSeq = frame.messages[0].seq;
    hasMore = frame.has_more;
    if (stickTo) scroller.scrollTop = stickTo.offsetTop - offset;
    if (loadEarlier && !hasMore) loadEarlier.parentNode.hidden = true;
    if (loadEarlier) loadEarlier.href = "?before=" + firstSeq;
  }

  function showPresence(members) {
    presenceEl.textContent = "";
    if (!members.length) {
      var none = document.createElement("li");
      none.className = "help";
      none.textContent = "Nobody visible right now.";
      presenceEl.append(none);
      return;
    }
    members.forEach(function (member) {
      var li = document.createElement("li");
      li.textContent = member.name + (member.id === userId ? " (you)" : "");
      presenceEl.append(li);
    });
  }

  function showTyping(user) {
    if (user.id === userId) return;
    var previous = typingTimers.get(user.id);
    if (previous) clearTimeout(previous.timer);
    var timer = setTimeout(function () {
      typingTimers.delete(user.id);
      renderTyping();
    }, 4000);
    typingTimers.set(user.id, { name: user.name, timer: timer });
    renderTyping();
  }

  function renderTyping() {
    var names = Array.from(typingTimers.values()).map(function (t) { return t.name; });
    typingEl.textContent = names.length === 0 ? "" : names.length === 1 ? names[0] + " is typing…"
      : names.length === 2 ? names[0] + " and " + names[1] + " are typing…" : "Several people are typing…";
  }

  var errorText = {
    rate_limited: function (f) { return "You are sending messages very quickly. Please wait " + f.retry_after + " seconds."; },
    slow_mode: function (f) { return f.detail + " Please wait " + f.retry_after + " seconds."; },
  };

  function showError(frame) {
    var text = errorText[frame.code] ? errorText[frame.code](frame) : frame.detail;
    if (pending && textarea && !textarea.value) textarea.value = pending.body; // nothing typed is lost
    pending = null;
    if (composerError) composerError.textContent = text;
    else setStatus(text);
  }

  // --- the socket ------------------------------------------------------------------------------------

  function send(frame) {
    if (!socket || socket.readyState !== WebSocket.OPEN) return false;
    socket.send(JSON.stringify(frame));
    return true;
  }

  function requestCatchUp() {
    if (catchingUp || catchUpTimer) return;
    // A frame may simply be late; give it a moment before asking the server.
    catchUpTimer = setTimeout(function () {
      catchUpTimer = null;
      if (contiguous < highestShown) catchUp();
    }, 250);
  }

  function catchUp() {
    var frame = { type: "catch_up", after_seq: contiguous };
    if (since) frame.since = since;
    catchingUp = send(frame);
  }

  function scheduleRead() {
    if (document.visibilityState !== "visible" || readTimer) return;
    readTimer = setTimeout(function () {
      readTimer = null;
      if (contiguous > lastReadSent && send({ type: "read", seq: contiguous })) lastReadSent = contiguous;
    }, 2000);
  }

  var handlers = {
    hello: function (frame) {
      attempts = 0;
      setStatus("Connected. New messages appear as they arrive.");
      catchUp();
      since = frame.now;
    },
    message: showMessage,
    message_edited: editMessage,
    message_removed: removeMessage,
    history: showHistory,
    caught_up: function (frame) {
      catchingUp = false;
      if (frame.seq > contiguous) contiguous = frame.seq;
      account(contiguous);
      if (frame.more || contiguous < highestShown) catchUp();
      scheduleRead();
    },
    typing: function (frame) { showTyping(frame.user); },
    presence: function (frame) { showPresence(frame.members); },
    crisis_resources: function (frame) {
      crisisEl.innerHTML = frame.html; // a server template
      crisisEl.hidden = false;
    },
    flagged: function (frame) { setStatus(frame.detail); },
    error: showError,
  };

  var closeReasons = {
    4401: "Your session has ended. Please sign in again to keep chatting.",
    4403: "You no longer have access to this room.",
    4408: "Your chat connection was closed by the moderators.",
    4429: "Chat is open in too many windows. Close one and reload this page.",
  };

  function connect() {
    if (stopped) return;
    var scheme = location.protocol === "https:" ? "wss://" : "ws://";
    socket = new WebSocket(scheme + location.host + root.dataset.wsPath);
    socket.onmessage = function (event) {
      var frame;
      try {
        frame = JSON.parse(event.data);
      } catch (e) {
        return;
      }
      var handler = handlers[frame.type];
      if (handler) handler(frame);
    };
    socket.onclose = function (event) {
      catchingUp = false;
      if (closeReasons[event.code]) {
        stopped = true;
        setStatus(closeReasons[event.code]);
        return;
      }
      reconnectLater();
    };
  }

  function reconnectLater() {
    setStatus("reconnecting…");
    // Exponential backoff with jitter, so that a restarted server is not met by every page at once.
    var delay = Math.min(15000, 500 * Math.pow(2, attempts)) * (0.5 + Math.random() / 2);
    attempts += 1;
    setTimeout(connect, delay);
  }

  // --- the member's actions --------------------------------------------------------------------------

  if (composer && textarea) {
    composer.addEventListener("submit", function (event) {
      var body = textarea.value.trim();
      if (!body || !socket || socket.readyState !== WebSocket.OPEN) return; // falls back to a normal post
      event.preventDefault();
      var clientId = window.crypto && crypto.randomUUID ? crypto.randomUUID() : String(Math.random()).slice(2);
      if (send({ type: "send", body: body, client_id: clientId })) {
        pending = { clientId: clientId, body: body };
        lastTypingSent = 0;
        textarea.value = "";
        if (composerError) composerError.textContent = "";
      }
    });
    textarea.addEventListener("keydown", function (event) {
      if (event.key === "Enter" && !event.shiftKey && !event.isComposing) {
        event.preventDefault();
        composer.requestSubmit();
      }
    });
    textarea.addEventListener("input", function () {
      var now = Date.now();
      if (textarea.value && now - lastTypingSent > 3000 && send({ type: "typing" })) lastTypingSent = now;
    });
  }

  if (loadEarlier) {
    loadEarlier.addEventListener("click", function (event) {
      if (send({ type: "history", before_seq: firstSeq, limit: 50 })) event.preventDefault();
    });
  }

  list.addEventListener("submit", function (event) {
    var form = event.target;
    var li = form.closest(".chat-message");
    if (!li) return;
    var id = Number(li.dataset.id);
    if (form.classList.contains("js-remove")) {
      if (!window.confirm("Remove this message for everyone?")) {
        event.preventDefault();
        return;
      }
      if (send({ type: "delete", id: id })) event.preventDefault();
    } else if (form.classList.contains("js-flag")) {
      var frame = { type: "flag", id: id, reason: form.elements.reason.value, note: form.elements.note.value };
      if (send(frame)) {
        event.preventDefault();
        form.closest("details").open = false;
      }
    } else if (form.classList.contains("js-edit-form")) {
      event.preventDefault();
      var body = form.elements.body.value.trim();
      if (body && send({ type: "edit", id: id, body: body })) form.remove();
    }
  });

  list.addEventListener("click", function (event) {
    var button = event.target.closest(".js-edit, .js-edit-cancel");
    if (!button) return;
    var li = button.closest(".chat-message");
    if (button.classList.contains("js-edit-cancel")) {
      button.closest("form").remove();
      li.querySelector(".js-edit").focus();
      return;
    }
    if (li.querySelector(".js-edit-form")) return;
    var form = document.createElement("form");
    form.className = "js-edit-form";
    var label = document.createElement("label");
    label.htmlFor = "edit-" + li.dataset.id;
    label.textContent = "Edit your message";
    var area = document.createElement("textarea");
    area.name = "body";
    area.id = label.htmlFor;
    area.rows = 3;
    area.maxLength = 4000;
    area.value = li.querySelector(".body").innerText.trim();
    var save = document.createElement("button");
    save.type = "submit";
    save.textContent = "Save";
    var cancel = document.createElement("button");
    cancel.type = "button";
    cancel.className = "secondary js-edit-cancel";
    cancel.textContent = "Cancel";
    form.append(label, area, save, " ", cancel);
    li.append(form);
    area.focus();
  });

  document.addEventListener("visibilitychange", scheduleRead);
  // Keeps a quiet member listed in "Here now" and the connection alive through idle proxies.
  setInterval(function () { send({ type: "read", seq: contiguous }); }, 4 * 60 * 1000);

  // --- start -----------------------------------------------------------------------------------------

  Array.prototype.forEach.call(list.children, function (li) {
    byId.set(Number(li.dataset.id), li);
    known.add(Number(li.dataset.seq));
    addEditButton(li);
    var time = li.querySelector("time");
    if (time) time.textContent = formatTime(time.dateTime); // the reader's own time zone, like live messages
  });
  scroller.scrollTop = scroller.scrollHeight;
  if (root.dataset.olderPage === "true") {
    setStatus("You are reading earlier messages. Go back to the latest to chat live.");
    return;
  }
  setStatus("Connecting…");
  connect();
})();
