// DevPlatform console: small progressive enhancements. Every page works without this file.
(function () {
  'use strict';
  // Times in the viewer's time zone.
  var format = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });
  function localTimes(root) {
    root.querySelectorAll('time[data-local]').forEach(function (t) {
      var d = new Date(t.getAttribute('datetime'));
      if (!isNaN(d)) { t.textContent = format.format(d); t.title = t.getAttribute('datetime'); }
    });
  }
  localTimes(document);

  // Destructive actions: ask in the browser, then tell the server it was confirmed (without script the server asks).
  document.addEventListener('submit', function (e) {
    var form = e.target;
    var question = form.getAttribute('data-confirm');
    if (!question) return;
    if (!window.confirm(question)) { e.preventDefault(); return; }
    var confirmed = document.createElement('input');
    confirmed.type = 'hidden'; confirmed.name = 'confirmed'; confirmed.value = 'yes';
    form.appendChild(confirmed);
  });

  // Copy buttons (a new token): the clipboard where the page is a secure context, else the text selected for Ctrl+C.
  document.querySelectorAll('[data-copy]').forEach(function (button) {
    button.addEventListener('click', function () {
      var field = document.querySelector(button.getAttribute('data-copy'));
      var said = button.parentNode.querySelector('[data-copied]');
      field.select();
      var done = function () { if (said) said.textContent = 'Copied.'; };
      if (navigator.clipboard && window.isSecureContext) {
        navigator.clipboard.writeText(field.value).then(done, function () { if (said) said.textContent = 'Selected: press Ctrl+C.'; });
      } else if (said) {
        said.textContent = 'Selected: press Ctrl+C.';
      }
    });
  });

  // The launcher: the hourly estimate of the chosen size, and the image allow-list checked while typing.
  var estimate = document.querySelector('[data-estimate]');
  if (estimate) {
    document.querySelectorAll('input[name=size]').forEach(function (r) {
      r.addEventListener('change', function () { estimate.textContent = r.getAttribute('data-cost'); });
    });
  }
  var custom = document.querySelector('input[data-image-check]');
  if (custom) {
    var verdict = document.getElementById(custom.getAttribute('aria-describedby'));
    var timer;
    custom.addEventListener('input', function () {
      clearTimeout(timer);
      if (!custom.value) { verdict.textContent = ''; return; }
      timer = setTimeout(function () {
        fetch(custom.getAttribute('data-image-check') + '&image=' + encodeURIComponent(custom.value), { headers: { Accept: 'application/json' } })
          .then(function (r) { return r.json(); })
          .then(function (c) { verdict.textContent = (c.allowed ? '✓ ' : '✗ ') + c.reason; verdict.className = c.allowed ? 'muted' : 'field-error'; });
      }, 250);
    });
  }

  // An environment's live progress: events as they happen; the page reloads when the state changes.
  var list = document.querySelector('ol[data-events]');
  if (list && list.getAttribute('data-open-when-running') && list.getAttribute('data-state') === 'running') {
    window.location.assign(list.getAttribute('data-open-when-running'));
  } else if (list && window.EventSource) {
    var source = new EventSource(list.getAttribute('data-events'));
    var leaving = false;
    window.addEventListener('submit', function () { leaving = true; source.close(); });
    window.addEventListener('beforeunload', function () { leaving = true; source.close(); });
    var seen = {};
    list.querySelectorAll('li[data-id]').forEach(function (li) { seen[li.getAttribute('data-id')] = true; });
    function add(e, isState) {
      if (seen[e.lastEventId]) return;
      seen[e.lastEventId] = true;
      var v = JSON.parse(e.data);
      var li = document.createElement('li');
      var t = document.createElement('time'); t.setAttribute('datetime', v.at); t.setAttribute('data-local', '');
      li.appendChild(t); li.appendChild(document.createTextNode(' ' + v.message));
      list.appendChild(li); localTimes(li);
      if (!isState || leaving || list.getAttribute('data-state') === v.state) return;
      source.close();
      var open = list.getAttribute('data-open-when-running');
      if (open && v.state === 'running') window.location.assign(open); else window.location.reload();
    }
    source.addEventListener('progress', function (e) { add(e, false); });
    source.addEventListener('state', function (e) { add(e, true); });
  }
})();
