// Tipline web chat. No framework, no cookies, nothing sent but what the user
// types or picks. The conversation token lives in sessionStorage only (gone
// with the tab); the transcript lives only in this page.
(function () {
  'use strict';
  var root = document.getElementById('chat');
  if (!root) { return; }
  var d = root.dataset;
  var lang = d.lang;
  var embed = d.embed === '1';
  var KEY = 'tipline-chat';
  var log = document.getElementById('log');
  var statusLine = document.getElementById('status');
  var form = document.getElementById('compose');
  var input = form.querySelector('[data-tipline=input]');
  var file = form.querySelector('[data-tipline=file]');
  var state = load();
  var stopped = false;
  var queue = Promise.resolve();

  function load() {
    try {
      var s = JSON.parse(sessionStorage.getItem(KEY));
      if (s && typeof s.token === 'string' && s.seq >= 0 && s.cursor >= 0) { return s; }
    } catch (e) { /* unreadable: start over */ }
    return null;
  }
  function save() {
    if (!stopped && state) { sessionStorage.setItem(KEY, JSON.stringify(state)); }
  }
  function sleep(ms) { return new Promise(function (r) { setTimeout(r, ms); }); }
  function say(text) { statusLine.textContent = text || ''; }

  function request(method, path, body, extra) {
    var h = { 'Accept-Language': lang };
    if (state) { h.Authorization = 'Bearer ' + state.token; }
    Object.keys(extra || {}).forEach(function (k) { h[k] = extra[k]; });
    return fetch(path, {
      method: method, headers: h, body: body, credentials: 'omit',
      cache: 'no-store', referrerPolicy: 'no-referrer', redirect: 'error'
    }).then(function (r) {
      return r.json().then(function (j) { return { status: r.status, ok: r.ok, body: j }; },
        function () { return { status: r.status, ok: false, body: {} }; });
    });
  }
  function problem(res) {
    var e = res.body && res.body.error;
    return { status: res.status, code: e ? e.code : '', message: e ? e.message : d.tOffline };
  }

  function newConversation() {
    state = null;
    return request('POST', '/chat/api/session').then(function (res) {
      if (!res.ok) { throw problem(res); }
      state = { token: res.body.token, seq: 0, cursor: 0 };
      save();
    });
  }

  function bubble(from, text) {
    var li = document.createElement('li');
    li.setAttribute('data-tipline', 'message');
    li.setAttribute('data-from', from);
    li.className = from;
    var who = document.createElement('span');
    who.className = 'sr';
    who.textContent = (from === 'bot' ? d.tBot : d.tYou) + ': ';
    var p = document.createElement('p');
    p.textContent = text;
    li.appendChild(who);
    li.appendChild(p);
    log.appendChild(li);
    li.scrollIntoView({ block: 'end' });
    return li;
  }

  function copyButton(li, code) {
    var hint = document.createElement('p');
    hint.className = 'hint';
    hint.textContent = d.tCopyHint;
    var c = document.createElement('code');
    c.setAttribute('data-tipline', 'receipt');
    c.textContent = code;
    var b = document.createElement('button');
    b.type = 'button';
    b.setAttribute('data-tipline', 'copy');
    b.textContent = d.tCopy;
    b.addEventListener('click', function () {
      copy(code).then(function () { say(d.tCopied); }, function () { say(d.tCopyFailed); });
    });
    [hint, c, b].forEach(function (n) { li.appendChild(n); });
  }
  function copy(text) {
    if (navigator.clipboard && window.isSecureContext) {
      return navigator.clipboard.writeText(text).catch(function (e) {
        if (window.console) { console.warn('clipboard', e && e.message); }
        return legacyCopy(text);
      });
    }
    return legacyCopy(text);
  }
  function legacyCopy(text) {
    var t = document.createElement('textarea');
    t.value = text;
    t.setAttribute('readonly', '');
    document.body.appendChild(t);
    t.select();
    var ok = false;
    try { ok = document.execCommand('copy'); } catch (e) { ok = false; }
    t.remove();
    return ok ? Promise.resolve() : Promise.reject(new Error('copy'));
  }

  function show(m) {
    var li = bubble('bot', m.text);
    if (m.receipt) { copyButton(li, m.receipt); }
    if (m.options && m.options.length) {
      var box = document.createElement('div');
      box.className = 'options';
      m.options.forEach(function (o) {
        var b = document.createElement('button');
        b.type = 'button';
        b.setAttribute('data-tipline', 'option');
        b.textContent = o.label;
        b.addEventListener('click', function () {
          bubble('user', o.label);
          send({ choice: o.id });
        });
        box.appendChild(b);
      });
      li.appendChild(box);
    }
  }

  // Messages go one at a time, in order, each under its own number; a
  // network failure retries the same number (the server answers a repeat
  // with 409, which means it has the message already).
  function send(fields, photo) {
    queue = queue.then(function () { return deliver(fields, photo); });
    return queue;
  }
  function deliver(fields, photo) {
    if (stopped) { return null; }
    state.seq += 1;
    save();
    var seq = state.seq;
    var attempt = function (wait) {
      var req = photo
        ? request('POST', '/chat/api/photos', photo, { 'Content-Type': photo.type, 'X-Tipline-Seq': String(seq) })
        : request('POST', '/chat/api/messages', JSON.stringify(Object.assign({ seq: seq }, fields)),
          { 'Content-Type': 'application/json' });
      return req.then(function (res) {
        if (res.ok || res.status === 409) { say(''); return; }
        var p = problem(res);
        say(p.message);
        if (res.status >= 500 && !stopped) { return sleep(wait).then(function () { return attempt(wait * 2); }); }
        if (p.code.indexOf('token') === 0) { return newConversation(); }
      }, function () {
        if (stopped) { return; }
        say(d.tOffline);
        return sleep(wait).then(function () { return attempt(Math.min(wait * 2, 15000)); });
      });
    };
    return attempt(1000);
  }

  // One long poll at a time: "everything after my cursor", which also tells
  // the server it may forget what the page already has.
  function poll() {
    var wait = 1000;
    var loop = function () {
      if (stopped) { return; }
      request('GET', '/chat/api/replies?after=' + state.cursor).then(function (res) {
        if (stopped) { return; }
        if (!res.ok) {
          var p = problem(res);
          say(p.message);
          var next = p.code.indexOf('token') === 0 ? newConversation() : sleep(wait);
          wait = Math.min(wait * 2, 15000);
          return next.then(loop, loop);
        }
        wait = 1000;
        res.body.messages.forEach(show);
        state.cursor = res.body.cursor;
        save();
        loop();
      }, function () {
        say(d.tOffline);
        wait = Math.min(wait * 2, 15000);
        sleep(wait).then(loop);
      });
    };
    loop();
  }

  function prepared(f) {
    // Large photos are shrunk on the phone first: less to upload on a slow line.
    if (f.size < 400 * 1024 && /^image\/(jpeg|png)$/.test(f.type)) { return Promise.resolve(f); }
    if (!window.createImageBitmap) { return Promise.resolve(f); }
    return createImageBitmap(f).then(function (img) {
      var scale = Math.min(1, 1600 / Math.max(img.width, img.height));
      var c = document.createElement('canvas');
      c.width = Math.round(img.width * scale);
      c.height = Math.round(img.height * scale);
      c.getContext('2d').drawImage(img, 0, 0, c.width, c.height);
      return new Promise(function (resolve) {
        c.toBlob(function (b) { resolve(b || f); }, 'image/jpeg', 0.85);
      });
    }, function () { return f; });
  }

  function leave() {
    stopped = true;
    try { sessionStorage.clear(); } catch (e) { /* nothing stored */ }
    state = null;
    document.body.textContent = '';
    if (embed) {
      window.parent.postMessage({ tipline: 'leave' }, '*');
      location.replace('about:blank');
    } else {
      location.replace(d.leaveUrl);
    }
  }

  form.addEventListener('submit', function (e) {
    e.preventDefault();
    var text = input.value.trim();
    if (!text || !state) { return; }
    input.value = '';
    bubble('user', text);
    send({ text: text });
  });
  input.addEventListener('keydown', function (e) {
    if (e.key === 'Enter' && !e.shiftKey) { e.preventDefault(); form.requestSubmit(); }
  });
  file.addEventListener('change', function () {
    var f = file.files && file.files[0];
    file.value = '';
    if (!f || !state) { return; }
    say(d.tSendingPhoto);
    prepared(f).then(function (blob) {
      if (blob.size > 10 * 1024 * 1024) { say(d.tPhotoTooLarge); return; }
      bubble('user', d.tPhotoSent);
      send(null, blob);
    });
  });
  document.getElementById('leave').addEventListener('click', leave);
  window.addEventListener('message', function (e) {
    if (embed && e.source === window.parent && e.data && e.data.tipline === 'leave') { leave(); }
  });

  var begin = state ? Promise.resolve(false) : newConversation().then(function () { return true; });
  begin.then(function (fresh) {
    poll();
    if (fresh) { send({ text: '/start' }); }
    input.focus();
  }, function (p) { say(p.message || d.tOffline); });
}());
