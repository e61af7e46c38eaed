/* Live chat for one room (DESIGN.md "Chat protocol"). No framework; the page works without this script.
 *
 * Nothing lost, nothing doubled, order kept: messages are kept by id and placed by seq; `contiguous` is the
 * highest seq up to which everything is accounted for. A gap (a seq skipped, a dropped socket) is filled with
 * `catch_up` from `contiguous`, whose `caught_up` also accounts for removed messages that leave holes. The
 * server's `heartbeat` carries the room's latest seq, so a broadcast lost on the way (a Redis reset) is noticed
 * and caught up within seconds even in a quiet room; a socket that stays silent longer than a few heartbeats is
 * replaced.
 *
 * Nothing typed is lost: a message stays on the page, marked "not sent yet", until the server answers with a
 * `message` frame carrying its client_id. After a reconnect it is sent again under the same client_id (the
 * server stores a client_id once and answers a repeat with the stored message). A refusal, or no answer after
 * a few reconnects, leaves it on the page as not sent, with its text and a way to try again.
 *
 * A message from a member in a block with this reader (either way) arrives collapsed (`collapsed: true`, no
 * author, a neutral line from the server): it takes its seq's place as one muted line with no actions, so that
 * nothing is missing for catch-up. `hidden_authors` (a block made while the page is open) collapses what is
 * already shown of them.
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

  var userId = Number(root.dataset.userId);
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
  // The member's messages the server has not answered yet, by client_id: {clientId, body, li, tries, sentAt, failed}.
  var outbox = new Map();
  var pendingEdits = new Map(); // message id -> the text this page sent in an `edit`, until message_edited
  var MAX_TRIES = 4; // the first send and three resends after reconnecting
  var ACK_TIMEOUT = 20000;
  var outboxEl = document.createElement("ol");
  outboxEl.className = "message-list chat-outbox";
  outboxEl.setAttribute("aria-label", "Not sent yet");
  list.after(outboxEl);
  var everConnected = false;
  var lastHeard = Date.now();
  var heartbeatEvery = 25000; // learned from the server's heartbeats
  var lastHeartbeat = 0;
  var lastTypingSent = 0;
  var typingTimers = new Map();
  var readTimer = null;
  var lastReadSent = 0;
  var highestShown = contiguous;
  var stopped = false;

  function setStatus(text) {
    if (statusEl.textContent !== text) statusEl.textContent = text;
  }

  // Times as the server writes them (Django's "M j, g:i a", e.g. "Nov 28, 5:14 a.m.") in the member's zone, so
  // that a moment reads the same here, on the forum and after a reload.
  var MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

  function formatTime(iso) {
    var date = new Date(iso);
    if (isNaN(date)) return "";
    var parts = {};
    try {
      new Intl.DateTimeFormat("en-US", {
        timeZone: root.dataset.timeZone || undefined, year: "numeric", month: "numeric", day: "numeric",
        hour: "numeric", minute: "2-digit", hour12: true,
      }).formatToParts(date).forEach(function (part) { parts[part.type] = part.value; });
    } catch (e) {
      return date.toISOString();
    }
    var period = (parts.dayPeriod || "").toUpperCase() === "PM" ? "p.m." : "a.m.";
    return MONTHS[Number(parts.month) - 1] + " " + Number(parts.day) + ", " + Number(parts.hour) + ":" + parts.minute + " " + period;
  }

  // --- rendering -------------------------------------------------------------------------------------

  // Live messages are copies of the server's own markup (templates/chat/message.html, in <template> elements on
  // the page), filled in here: nothing about a message's markup is written in this script.
  function buildCollapsed(id, seq, html) {
    var li = document.getElementById("message-template-collapsed").content.firstElementChild.cloneNode(true);
    li.id = "m-" + id;
    li.dataset.id = String(id);
    li.dataset.seq = seq;
    li.querySelector(".body").innerHTML = html; // a fixed line from the server, never member text
    return li;
  }

  function buildMessage(frame) {
    if (frame.collapsed) return buildCollapsed(frame.id, frame.seq, frame.html);
    var mine = frame.author.id === userId;
    var template = document.getElementById(mine ? "message-template-own" : "message-template-other");
    var li = template.content.firstElementChild.cloneNode(true);
    var id = String(frame.id);
    li.id = "m-" + id;
    li.dataset.id = id;
    li.dataset.seq = frame.seq;
    li.dataset.authorId = frame.author.id;
    li.querySelectorAll("[id]").forEach(function (el) { el.id = el.id.replace(/-0$/, "-" + id); });
    li.querySelectorAll("label[for]").forEach(function (el) { el.htmlFor = el.htmlFor.replace(/-0$/, "-" + id); });
    li.querySelectorAll("form[action]").forEach(function (el) {
      el.setAttribute("action", el.getAttribute("action").replace("/0/", "/" + id + "/"));
    });
    li.querySelectorAll("a[href]").forEach(function (el) {
      el.setAttribute("href", el.getAttribute("href").replace("/0/", "/" + id + "/"));
    });
    li.querySelectorAll(".js-block").forEach(function (el) {
      el.setAttribute("href", el.dataset.href.replace("AUTHOR", String(frame.author.id)));
    });
    li.querySelectorAll(".js-author").forEach(function (el) { el.textContent = frame.author.name; });
    var time = li.querySelector("time");
    time.dateTime = frame.created_at;
    time.textContent = formatTime(frame.created_at);
    li.querySelector(".body").innerHTML = frame.html; // sanitised on the server (nh3 allow-list)
    if (!frame.edited_at) li.querySelector(".edited").remove();
    var held = li.querySelector(".held-note");
    if (held && !frame.held) {
      held.remove();
      li.classList.remove("held");
    } else if (held && frame.detail) {
      held.title = frame.detail;
    }
    if (mine) setSource(li, frame.source);
    return li;
  }

  // The edit box holds the text as typed (Markdown, mentions). When this page does not know it (a message sent
  // from another device), the inline form gives way to the edit page, which has it.
  function setSource(li, source) {
    var form = li.querySelector(".js-edit-form");
    if (!form) return;
    var known = typeof source === "string";
    if (known) form.elements.body.value = source;
    form.hidden = !known;
  }

  function editedMark() {
    var mark = document.getElementById("message-template-own").content.querySelector(".edited");
    return mark.cloneNode(true);
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
    var typed = frame.author.id === userId ? acknowledge(frame.client_id) : null;
    if (typed !== null && typeof frame.source !== "string") frame.source = typed; // what this page sent
    var typing = typingTimers.get(frame.author.id);
    if (typing) {
      clearTimeout(typing.timer);
      typingTimers.delete(frame.author.id);
      renderTyping();
    }
    var existing = byId.get(frame.id);
    if (existing && (frame.collapsed || existing.dataset.collapsed)) {
      var replacement = buildMessage(frame);
      existing.replaceWith(replacement);
      byId.set(frame.id, replacement);
    } else if (existing) {
      existing.querySelector(".body").innerHTML = frame.html;
      var held = existing.querySelector(".held-note");
      if (held && !frame.held) held.remove(); // approved by a moderator
      if (typeof frame.source === "string") setSource(existing, frame.source);
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
    if (!li || li.dataset.collapsed) return;
    li.querySelector(".body").innerHTML = frame.html;
    var meta = li.querySelector(".meta");
    if (!meta.querySelector(".edited")) meta.querySelector("time").after(" ", editedMark());
    // The source: from the server when it answers this page, else the text this page sent for it; an edit made
    // elsewhere leaves this page without it (the edit page has it).
    var source = typeof frame.source === "string" ? frame.source : pendingEdits.get(frame.id);
    pendingEdits.delete(frame.id);
    setSource(li, source);
  }

  function removeMessage(frame) {
    if (frame.client_id) acknowledge(frame.client_id); // a resend of a message removed meanwhile
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

  // A block made while this page is open: what it shows of those members becomes the collapsed line.
  function hideAuthors(authors) {
    authors.forEach(function (author) {
      list.querySelectorAll('.chat-message[data-author-id="' + Number(author.id) + '"]').forEach(function (li) {
        var replacement = buildCollapsed(li.dataset.id, li.dataset.seq, author.html);
        li.replaceWith(replacement);
        byId.set(Number(li.dataset.id), replacement);
      });
      var typing = typingTimers.get(author.id);
      if (typing) {
        clearTimeout(typing.timer);
        typingTimers.delete(author.id);
      }
    });
    renderTyping();
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
    if (frame.request === "catch_up") {
      // Asked too often (the server limits catch-up): ask again when it allows.
      catchingUp = false;
      setTimeout(catchUp, ((frame.retry_after || 1) * 1000));
      return;
    }
    var entry = frame.client_id ? outbox.get(frame.client_id) : null;
    if (!entry && frame.request === "send") entry = oldestInFlight();
    if (entry && frame.code === "unavailable") {
      // The server could not store it just now: nothing was stored, so it is safe to send again shortly.
      markUnsent(entry, "Not sent yet. Trying again in a moment.");
      setTimeout(function () { if (outbox.has(entry.clientId)) trySend(entry); }, (frame.retry_after || 3) * 1000);
      return;
    }
    if (entry) markFailed(entry, text);
    if (composerError) composerError.textContent = text;
    else setStatus(text);
  }

  // --- messages not sent yet ---------------------------------------------------------------------------

  function newClientId() {
    return window.crypto && crypto.randomUUID ? crypto.randomUUID() : Date.now() + "-" + String(Math.random()).slice(2);
  }

  function buildUnsent(entry) {
    var li = document.createElement("li");
    li.className = "chat-message own unsent";
    li.dataset.clientId = entry.clientId;
    var meta = document.createElement("p");
    meta.className = "meta";
    var author = document.createElement("strong");
    author.className = "author";
    author.textContent = "You";
    var note = document.createElement("span");
    note.className = "unsent-note";
    meta.append(author, " ", note);
    var body = document.createElement("div");
    body.className = "body";
    body.textContent = entry.body; // the member's own text, shown as typed until the server has it
    var actions = document.createElement("div");
    actions.className = "actions";
    li.append(meta, body, actions);
    return li;
  }

  function setNote(entry, text) {
    var note = entry.li.querySelector(".unsent-note");
    if (note.textContent !== text) note.textContent = text;
  }

  function queueMessage(body) {
    var entry = { clientId: newClientId(), body: body, tries: 0, sentAt: 0, failed: false };
    entry.li = buildUnsent(entry);
    outbox.set(entry.clientId, entry);
    outboxEl.append(entry.li);
    if (emptyNote) emptyNote.hidden = true;
    scroller.scrollTop = scroller.scrollHeight;
    trySend(entry);
  }

  function trySend(entry) {
    if (entry.failed) return;
    if (send({ type: "send", body: entry.body, client_id: entry.clientId })) {
      entry.tries += 1;
      entry.sentAt = Date.now();
      setNote(entry, "Sending…");
    } else {
      markUnsent(entry);
    }
  }

  function markUnsent(entry, note) {
    entry.sentAt = 0;
    setNote(entry, note || "Not sent yet. It will go as soon as the connection is back.");
  }

  function markFailed(entry, reason) {
    entry.failed = true;
    entry.sentAt = 0;
    entry.li.classList.add("failed");
    setNote(entry, "Not sent. " + reason + " Your text is kept here.");
    var actions = entry.li.querySelector(".actions");
    actions.textContent = "";
    var retry = document.createElement("button");
    retry.type = "button";
    retry.className = "link-button js-retry";
    retry.textContent = "Try again";
    var edit = document.createElement("button");
    edit.type = "button";
    edit.className = "link-button js-unsent-edit";
    edit.textContent = "Edit";
    actions.append(retry, edit);
  }

  // The text of the acknowledged message as this page sent it, or null.
  function acknowledge(clientId) {
    var entry = clientId && outbox.get(clientId);
    if (!entry) return null;
    outbox.delete(clientId);
    entry.li.remove();
    return entry.body;
  }

  function oldestInFlight() {
    var found = null;
    outbox.forEach(function (entry) {
      if (!found && !entry.failed && entry.sentAt) found = entry;
    });
    return found;
  }

  function resendUnsent() {
    outbox.forEach(function (entry) {
      if (entry.failed) return;
      if (entry.tries >= MAX_TRIES) markFailed(entry, "We could not reach the chat server.");
      else trySend(entry);
    });
  }

  outboxEl.addEventListener("click", function (event) {
    var button = event.target.closest(".js-retry, .js-unsent-edit");
    if (!button) return;
    var entry = outbox.get(button.closest(".unsent").dataset.clientId);
    if (!entry) return;
    if (button.classList.contains("js-retry")) {
      entry.failed = false;
      entry.tries = 0;
      entry.li.classList.remove("failed");
      entry.li.querySelector(".actions").textContent = "";
      if (composerError) composerError.textContent = "";
      trySend(entry);
      return;
    }
    // Back into the composer to change it; it becomes a new message (a new client_id) when sent.
    outbox.delete(entry.clientId);
    entry.li.remove();
    if (textarea) {
      textarea.value = textarea.value ? entry.body + "\n\n" + textarea.value : entry.body;
      textarea.focus();
    }
  });

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
      everConnected = true;
      setStatus("Connected. New messages appear as they arrive.");
      if (frame.seq > highestShown) highestShown = frame.seq;
      catchUp();
      since = frame.now;
      resendUnsent();
    },
    heartbeat: function (frame) {
      var now = Date.now();
      if (lastHeartbeat) heartbeatEvery = Math.max(1000, Math.min(60000, now - lastHeartbeat));
      lastHeartbeat = now;
      // A seq beyond what is shown: a broadcast did not arrive. Ask for it.
      if (frame.seq > highestShown) highestShown = frame.seq;
      if (contiguous < highestShown) requestCatchUp();
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
    hidden_authors: function (frame) { hideAuthors(frame.authors); },
    crisis_resources: function (frame) {
      crisisEl.innerHTML = frame.html; // a server template
      crisisEl.hidden = false;
    },
    flagged: function (frame) { setStatus(frame.detail); },
    error: showError,
  };

  var isPrivate = root.dataset.private === "true";
  var closeReasons = {
    4401: "Your session has ended. Please sign in again to keep chatting.",
    4403: isPrivate ? "This conversation has ended. Reload the page to read it." : "You no longer have access to this room.",
    4408: "Your chat connection was closed by the moderators.",
    4429: "Chat is open in too many windows. Close one and reload this page.",
  };

  function connect() {
    if (stopped) return;
    var scheme = location.protocol === "https:" ? "wss://" : "ws://";
    socket = new WebSocket(scheme + location.host + root.dataset.wsPath);
    socket.onopen = function () { lastHeard = Date.now(); };
    socket.onmessage = function (event) {
      lastHeard = Date.now();
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
      outbox.forEach(function (entry) { if (!entry.failed) markUnsent(entry); });
      // 4408 "too slow": the connection fell behind the room (a weak network, a sleeping tab) and the server
      // let it go rather than queue for it without end. Not a sanction: reconnect, and catch_up on the new
      // socket's hello brings back everything missed.
      if (event.code === 4408 && event.reason === "too slow") {
        reconnectLater();
        return;
      }
      if (closeReasons[event.code]) {
        stopped = true;
        setStatus(closeReasons[event.code]);
        // No reconnect will follow: say so on each message still waiting, and keep its text.
        outbox.forEach(function (entry) { if (!entry.failed) markFailed(entry, closeReasons[event.code]); });
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
      // Before live chat ever connected, the form posts normally; after, a message waits on the page for the
      // connection to come back rather than leaving the page.
      if (!body || (!everConnected && (!socket || socket.readyState !== WebSocket.OPEN))) return;
      event.preventDefault();
      queueMessage(body);
      lastTypingSent = 0;
      textarea.value = "";
      if (composerError) composerError.textContent = "";
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
      var reasonField = form.elements.reason;
      if (reasonField) {
        // A moderator removing someone else's message: the reason is required, and the member sees it.
        var reason = reasonField.value.trim();
        if (!reason) {
          event.preventDefault();
          reasonField.focus();
          return;
        }
        if (send({ type: "delete", id: id, reason: reason })) event.preventDefault();
        return;
      }
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
      var body = form.elements.body.value.trim();
      if (body && send({ type: "edit", id: id, body: body })) {
        event.preventDefault();
        pendingEdits.set(id, body);
        form.closest("details").open = false;
      }
    }
  });

  document.addEventListener("visibilitychange", scheduleRead);
  // A socket can die without closing (a sleeping laptop, a proxy that dropped it): silence for several
  // heartbeats, or a message unanswered for long, means a new connection, which then resends and catches up.
  setInterval(function () {
    if (!socket || socket.readyState !== WebSocket.OPEN) return;
    var now = Date.now();
    var stuck = false;
    outbox.forEach(function (entry) { if (entry.sentAt && now - entry.sentAt > ACK_TIMEOUT) stuck = true; });
    if (stuck || now - lastHeard > Math.max(3 * heartbeatEvery, 45000)) socket.close();
  }, 5000);
  // Keeps a quiet member listed in "Here now" and the connection alive through idle proxies.
  setInterval(function () { send({ type: "read", seq: contiguous }); }, 4 * 60 * 1000);

  // --- the member's time zone ------------------------------------------------------------------------

  // A member who never chose a zone sees the clinic's. When this device is in another zone, it is sent once (the
  // server keeps it only while no zone was chosen; /chat/time-zone/ changes it any time), and the times here are
  // written again in it. Other pages show it from their next load.
  function offerBrowserTimeZone() {
    if (root.dataset.timeZoneChosen !== "false" || !window.fetch || !window.Intl) return;
    var zone;
    try {
      zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
    } catch (e) {
      return;
    }
    var token = document.querySelector("input[name=csrfmiddlewaretoken]");
    if (!zone || zone === root.dataset.timeZone || !token) return;
    try {
      // Once per browser: a member who then picks the clinic's time on the settings page keeps it.
      if (localStorage.getItem("time-zone-offered") === zone) return;
      localStorage.setItem("time-zone-offered", zone);
    } catch (e) { /* storage off: the server still never replaces a chosen zone */ }
    var body = new URLSearchParams({ time_zone: zone, automatic: "1", csrfmiddlewaretoken: token.value });
    fetch(root.dataset.timeZoneUrl, { method: "POST", body: body, credentials: "same-origin" }).then(function (response) {
      if (!response.ok) return;
      root.dataset.timeZone = zone;
      root.dataset.timeZoneChosen = "true";
      var label = document.getElementById("time-zone-name");
      if (label) label.textContent = zone.replace(/_/g, " ");
      document.querySelectorAll("#messages time").forEach(function (time) {
        time.textContent = formatTime(time.dateTime);
      });
    }, function () {});
  }

  // --- start -----------------------------------------------------------------------------------------

  Array.prototype.forEach.call(list.children, function (li) {
    byId.set(Number(li.dataset.id), li);
    known.add(Number(li.dataset.seq));
  });
  offerBrowserTimeZone();
  scroller.scrollTop = scroller.scrollHeight;
  if (root.dataset.olderPage === "true") {
    setStatus("You are reading earlier messages. Go back to the latest to chat live.");
    return;
  }
  if (!root.dataset.wsPath) {
    setStatus("This conversation has ended. You can still read it here.");
    return;
  }
  setStatus("Connecting…");
  connect();
})();
