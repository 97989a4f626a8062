/**
 * The report page's script, as text (it runs in the reader's browser, not in credwarden). It
 * reads the findings embedded once as JSON, renders the findings table a page at a time, sorted
 * (most severe first unless a column heading is chosen) and filtered (severity at or above, account,
 * rule, control, status, search), and wires the copy buttons. Data only ever reaches the page through
 * textContent, never as HTML. No network, no storage, no eval.
 */
export const REPORT_SCRIPT = String.raw`(function () {
  'use strict';
  var data = JSON.parse(document.getElementById('credwarden-data').textContent);
  var rows = data.findings;
  var PAGE = 50;
  var page = 0;
  var filtered = rows;
  var $ = function (id) { return document.getElementById(id); };
  var severity = $('f-severity'), account = $('f-account'), rule = $('f-rule'), control = $('f-control'), status = $('f-status'), search = $('f-search');
  var body = $('findings-body'), count = $('findings-count'), pageInfo = $('page-info'), prev = $('page-prev'), next = $('page-next');

  function option(select, value, label) {
    var o = document.createElement('option');
    o.value = value; o.textContent = label;
    select.appendChild(o);
  }
  data.severities.forEach(function (s, i) { option(severity, String(i), i === data.severities.length - 1 ? s : s + (i === 0 ? '' : ' or above')); });
  Object.keys(data.accounts).sort().forEach(function (id) { option(account, id, data.accounts[id] ? data.accounts[id] + ' (' + id + ')' : id); });
  Object.keys(data.rules).sort().forEach(function (id) { option(rule, id, id); });
  var byNumber = function (a, b) { return a.localeCompare(b, 'en', { numeric: true }); };
  var controlSet = {};
  Object.keys(data.rules).forEach(function (id) { data.rules[id][1].forEach(function (c) { controlSet[c] = true; }); });
  Object.keys(controlSet).sort(byNumber).forEach(function (c) { option(control, c, c); });

  function controlsOf(r) { var meta = data.rules[r[2]]; return meta ? meta[1] : []; }
  function accountLabel(id) { return data.accounts[id] ? data.accounts[id] + ' (' + id + ')' : id; }

  // Severity is "at or above": the selected level and every more severe one.
  function matches(r, q) {
    if (severity.value !== '' && r[0] > Number(severity.value)) return false;
    if (account.value !== '' && r[1] !== account.value) return false;
    if (rule.value !== '' && r[2] !== rule.value) return false;
    if (control.value !== '' && controlsOf(r).indexOf(control.value) === -1) return false;
    if (status.value !== '' && r[3] !== status.value) return false;
    if (q === '') return true;
    var meta = data.rules[r[2]] || ['', [], []];
    var fields = [r[1], data.accounts[r[1]], r[2], meta[0], meta[1].join(' '), meta[2].join(' '), r[4], r[5], r[6], r[7], r[8], r[10]];
    for (var i = 0; i < fields.length; i++) if (fields[i] && String(fields[i]).toLowerCase().indexOf(q) !== -1) return true;
    return false;
  }

  function cell(tr, text, cls) {
    var td = document.createElement('td');
    if (cls) td.className = cls;
    td.textContent = text;
    tr.appendChild(td);
    return td;
  }

  function row(r) {
    var tr = document.createElement('tr');
    var sev = document.createElement('span');
    sev.className = 'sev sev-' + data.severities[r[0]];
    sev.textContent = data.severities[r[0]];
    var td = document.createElement('td'); td.appendChild(sev); tr.appendChild(td);
    cell(tr, accountLabel(r[1]));
    cell(tr, r[4] + (r[6] ? ' · ' + r[6] : ''));
    cell(tr, r[2]);
    cell(tr, controlsOf(r).join(', '), 'controls');
    cell(tr, r[3], 'st st-' + r[3]);
    var msg = cell(tr, r[7]);
    if (r[3] === 'waived' && r[10]) {
      var note = document.createElement('div');
      note.className = 'muted';
      note.textContent = 'Waiver: ' + r[10];
      msg.appendChild(note);
    }
    if (r[9] && document.getElementById('plan-' + r[9])) {
      var a = document.createElement('a');
      a.href = '#plan-' + r[9]; a.textContent = 'plan';
      msg.appendChild(document.createTextNode(' '));
      msg.appendChild(a);
    }
    return tr;
  }

  function render(limit) {
    var start = limit ? 0 : page * PAGE;
    var end = limit ? Math.min(filtered.length, limit) : Math.min(filtered.length, start + PAGE);
    var fragment = document.createDocumentFragment();
    for (var i = start; i < end; i++) fragment.appendChild(row(filtered[i]));
    body.replaceChildren(fragment);
    var pages = Math.max(1, Math.ceil(filtered.length / PAGE));
    count.textContent = filtered.length + ' of ' + rows.length + ' findings match';
    pageInfo.textContent = limit ? 'rows 1 to ' + end : 'page ' + (page + 1) + ' of ' + pages + ' (rows ' + (filtered.length === 0 ? 0 : start + 1) + ' to ' + end + ')';
    prev.disabled = page === 0;
    next.disabled = page >= pages - 1;
  }

  // Sorting: by one column (ascending or descending), then by severity, account, rule and
  // principal, so equal keys keep a stable, meaningful order. Severity sorts most severe first.
  var KEYS = {
    severity: function (r) { return r[0]; },
    account: function (r) { return accountLabel(r[1]).toLowerCase(); },
    principal: function (r) { return (r[4] + ' ' + (r[6] || '')).toLowerCase(); },
    rule: function (r) { return r[2]; },
    controls: function (r) { return controlsOf(r).join(' '); },
    status: function (r) { return r[3]; },
    message: function (r) { return r[7].toLowerCase(); }
  };
  var sortKey = 'severity', sortDir = 1;
  var collator = new Intl.Collator('en', { numeric: true });
  // Decorate, sort, undecorate: each row's keys are computed once per sort, not per comparison
  // (100,000 findings sort in well under a second).
  function sortRows() {
    var key = KEYS[sortKey];
    var decorated = rows.map(function (r) {
      return { r: r, k: key(r), t: r[0] + '\u0000' + KEYS.account(r) + '\u0000' + r[2] + '\u0000' + KEYS.principal(r) };
    });
    decorated.sort(function (a, b) {
      var c = (typeof a.k === 'number' ? a.k - b.k : collator.compare(a.k, b.k)) * sortDir;
      if (c !== 0) return c;
      return a.t < b.t ? -1 : a.t > b.t ? 1 : 0;
    });
    rows = decorated.map(function (d) { return d.r; });
    Array.prototype.forEach.call(document.querySelectorAll('#findings th'), function (th) {
      var button = th.querySelector('button.sort');
      if (button && button.getAttribute('data-sort') === sortKey) th.setAttribute('aria-sort', sortDir === 1 ? 'ascending' : 'descending');
      else th.removeAttribute('aria-sort');
    });
  }
  Array.prototype.forEach.call(document.querySelectorAll('#findings button.sort'), function (button) {
    button.addEventListener('click', function () {
      var key = button.getAttribute('data-sort');
      if (key === sortKey) sortDir = -sortDir; else { sortKey = key; sortDir = 1; }
      sortRows();
      apply();
    });
  });

  function apply() {
    var q = search.value.trim().toLowerCase();
    filtered = rows.filter(function (r) { return matches(r, q); });
    page = 0;
    render();
  }

  var timer;
  search.addEventListener('input', function () { clearTimeout(timer); timer = setTimeout(apply, 150); });
  [severity, account, rule, control, status].forEach(function (s) { s.addEventListener('change', apply); });
  prev.addEventListener('click', function () { if (page > 0) { page--; render(); } });
  next.addEventListener('click', function () { page++; render(); });
  $('f-reset').addEventListener('click', function () { severity.value = account.value = rule.value = control.value = status.value = search.value = ''; apply(); });

  // Auditors print to PDF: print every matching row (up to a bound), then restore the page.
  // Closed plans open for printing (browsers without ::details-content), and close again after.
  var closed = [];
  window.addEventListener('beforeprint', function () {
    render(5000);
    closed = Array.prototype.filter.call(document.querySelectorAll('details'), function (d) { return !d.open; });
    closed.forEach(function (d) { d.open = true; });
  });
  window.addEventListener('afterprint', function () {
    render();
    closed.forEach(function (d) { d.open = false; });
    closed = [];
  });

  function copy(button) {
    var text = button.getAttribute('data-copy') || '';
    var done = function () { button.textContent = 'Copied'; setTimeout(function () { button.textContent = 'Copy'; }, 1500); };
    var fallback = function () {
      var area = document.createElement('textarea');
      area.value = text; area.setAttribute('readonly', ''); area.className = 'sr-only';
      document.body.appendChild(area); area.select();
      try { document.execCommand('copy'); done(); } catch (e) { button.textContent = 'Select and copy'; }
      document.body.removeChild(area);
    };
    if (navigator.clipboard && window.isSecureContext) navigator.clipboard.writeText(text).then(done, fallback);
    else fallback();
  }
  document.addEventListener('click', function (event) {
    var target = event.target;
    if (target && target.classList && target.classList.contains('copy')) copy(target);
  });

  // A link to a plan opens it.
  function openHash() {
    var id = decodeURIComponent(location.hash.slice(1));
    var el = id ? document.getElementById(id) : null;
    if (el && el.tagName === 'DETAILS') el.open = true;
  }
  window.addEventListener('hashchange', openHash);
  openHash();
  sortRows();
  apply();
})();`;
