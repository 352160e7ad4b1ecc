// Tipline chat widget: <script src="https://TIPLINE/widget.js" data-lang="vi" async></script>
// It adds a launcher button in its own shadow root; the chat itself opens in
// an iframe of TIPLINE/chat?embed=1, so neither the host page's styles nor
// its scripts can reach the conversation. Nothing about the host page (its
// URL, its referrer) is sent: the iframe loads with referrerpolicy=no-referrer.
(function () {
  'use strict';
  var me = document.currentScript;
  if (!me || !me.src) { return; }
  var origin = new URL(me.src).origin;
  var lang = me.getAttribute('data-lang') === 'en' ? 'en' : 'vi';
  var leaveUrl = me.getAttribute('data-leave-url') || "__LEAVE_URL__";
  var labels = {
    vi: { open: '💬 Báo tin ẩn danh', close: 'Thu nhỏ', leave: 'Thoát nhanh', title: 'Tipline – Báo tin ẩn danh' },
    en: { open: '💬 Report anonymously', close: 'Minimise', leave: 'Leave quickly', title: 'Tipline – Anonymous tips' }
  }[lang];
  var host = document.createElement('tipline-chat');
  var shadow = host.attachShadow({ mode: 'open' });
  var style = document.createElement('style');
  style.textContent =
    ':host{all:initial;position:fixed;right:16px;bottom:16px;z-index:2147483000;font:16px/1.4 system-ui,sans-serif}' +
    'button{font:inherit;min-height:44px;padding:.5rem 1rem;border-radius:1.5rem;border:0;cursor:pointer}' +
    '.launch{background:#12355b;color:#fff;box-shadow:0 2px 8px rgba(0,0,0,.3)}' +
    '.panel{display:none;flex-direction:column;width:min(380px,calc(100vw - 32px));height:min(600px,calc(100vh - 32px));background:#fff;border-radius:.75rem;box-shadow:0 4px 16px rgba(0,0,0,.35);overflow:hidden}' +
    '.open .panel{display:flex}.open .launch{display:none}' +
    '.bar{display:flex;gap:.4rem;justify-content:flex-end;padding:.3rem;background:#12355b}' +
    '.bar button{border-radius:.5rem;background:#fff;color:#12355b}.bar .leave{background:#b3261e;color:#fff}' +
    'iframe{flex:1;border:0;width:100%}' +
    'button:focus-visible{outline:3px solid #f2a900;outline-offset:2px}';
  var wrap = document.createElement('div');
  var launch = button('launch', labels.open, 'launcher');
  var panel = document.createElement('div');
  panel.className = 'panel';
  panel.setAttribute('role', 'dialog');
  panel.setAttribute('aria-label', labels.title);
  var bar = document.createElement('div');
  bar.className = 'bar';
  var close = button('close', labels.close, 'close');
  var leave = button('leave', labels.leave, 'leave');
  bar.appendChild(close);
  bar.appendChild(leave);
  panel.appendChild(bar);
  wrap.appendChild(launch);
  wrap.appendChild(panel);
  shadow.appendChild(style);
  shadow.appendChild(wrap);
  var frame = null;

  function button(cls, text, hook) {
    var b = document.createElement('button');
    b.type = 'button';
    b.className = cls;
    b.textContent = text;
    b.setAttribute('data-tipline', hook);
    return b;
  }
  function open() {
    if (!frame) {
      // Created on first open: a page view alone starts no conversation.
      frame = document.createElement('iframe');
      frame.title = labels.title;
      frame.src = origin + '/chat?embed=1&lang=' + lang;
      frame.referrerPolicy = 'no-referrer';
      frame.allow = 'clipboard-write';
      panel.appendChild(frame);
    }
    wrap.className = 'open';
    frame.focus();
  }
  function gone() {
    if (!host.isConnected) { return; }
    host.remove();
    frame = null;
    location.replace(leaveUrl);
  }
  launch.addEventListener('click', open);
  close.addEventListener('click', function () { wrap.className = ''; launch.focus(); });
  leave.addEventListener('click', function () {
    if (!frame) { gone(); return; }
    // The chat clears its own storage, then says so; leave anyway if it is slow.
    frame.contentWindow.postMessage({ tipline: 'leave' }, origin);
    setTimeout(gone, 500);
  });
  window.addEventListener('message', function (e) {
    if (frame && e.origin === origin && e.source === frame.contentWindow &&
        e.data && e.data.tipline === 'leave') { gone(); }
  });
  (document.body || document.documentElement).appendChild(host);
}());
