// kbtool site behaviour: theme toggle, sidebar tree, tabs, copy buttons, search, request explorer,
// small-screen menu, current-section highlight in the toc, print preparation.
//
// Plain ES2017, no dependencies. Every feature checks that its elements exist,
// and every piece of text that comes from page data is inserted with
// textContent, never as HTML.
(function () {
  'use strict';

  var doc = document;
  var root = doc.documentElement;

  /** Creates an element with an optional class and text. */
  function el(tag, className, text) {
    var node = doc.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined && text !== null) node.textContent = String(text);
    return node;
  }

  /** The prefix from this page to the site root ("", "../"…, or "/" on the 404 page). */
  function siteRoot() {
    var meta = doc.querySelector('meta[name="kbtool-root"]');
    var value = meta ? meta.getAttribute('content') || '' : '';
    // A relative prefix ("", "../../") or, on the 404 page, an absolute one ("/",
    // "/docs/"). Anything else (a scheme, "//host") is ignored rather than trusted.
    return /^\/?([\w.-]+\/)*$/.test(value) ? value : '';
  }

  /** The current page's path in the site, as the sidebar names it ("" off a page). */
  function siteCurrentPath() {
    var tree = doc.querySelector('nav.sidebar ul.sidebar-tree');
    return tree ? tree.getAttribute('data-current') || '' : '';
  }

  /** "ImplicitlyDenied" -> "implicitly denied"; other text is left as it is. */
  function words(text) {
    var value = String(text || '');
    return /^[A-Z][a-z]+([A-Z][a-z]+)+$/.test(value)
      ? value.replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase()
      : value;
  }

  /** A class-name-safe slug ("Implicit deny" -> "implicit-deny"). */
  function slug(text) {
    return String(text || '').toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '');
  }

  // ------------------------------------------------------------ theme toggle

  function setupThemeToggle() {
    var button = doc.getElementById('theme-toggle');
    if (!button) return;
    var media = window.matchMedia ? window.matchMedia('(prefers-color-scheme: dark)') : null;

    function effectiveTheme() {
      var chosen = root.dataset.theme;
      if (chosen === 'light' || chosen === 'dark') return chosen;
      return media && media.matches ? 'dark' : 'light';
    }

    function reflect() {
      var dark = effectiveTheme() === 'dark';
      button.setAttribute('aria-pressed', dark ? 'true' : 'false');
      button.title = dark ? 'Switch to the light theme' : 'Switch to the dark theme';
    }

    button.addEventListener('click', function () {
      var next = effectiveTheme() === 'dark' ? 'light' : 'dark';
      root.dataset.theme = next;
      try {
        window.localStorage.setItem('kbtool-theme', next);
      } catch (e) {
        // Storage blocked: the choice lasts for this page only.
      }
      reflect();
    });

    // While the reader has not chosen, the button follows the OS setting live.
    if (media) {
      var onChange = function () { if (!root.dataset.theme) reflect(); };
      if (media.addEventListener) media.addEventListener('change', onChange);
      else if (media.addListener) media.addListener(onChange);
    }

    reflect();
    button.hidden = false;
  }

  // ------------------------------------------------------------ copy buttons

  /** Copies through a throw-away textarea, for browsers without the async API. */
  function copyWithTextarea(text) {
    var area = el('textarea');
    area.value = text;
    area.setAttribute('readonly', '');
    area.style.position = 'fixed';
    area.style.top = '-1000px';
    area.style.opacity = '0';
    doc.body.appendChild(area);
    area.select();
    var ok = false;
    try {
      ok = doc.execCommand('copy');
    } catch (e) {
      ok = false;
    }
    doc.body.removeChild(area);
    return ok;
  }

  function copyText(text) {
    if (navigator.clipboard && navigator.clipboard.writeText) {
      // The async API can refuse (no permission, unfocused page): fall back then.
      return navigator.clipboard.writeText(text).then(
        function () { return true; },
        function () { return copyWithTextarea(text); }
      );
    }
    return Promise.resolve(copyWithTextarea(text));
  }

  function setupCopyButtons() {
    var buttons = doc.querySelectorAll('button.copy-button');
    Array.prototype.forEach.call(buttons, function (button) {
      if (!button.textContent.trim()) button.textContent = 'Copy';
      var label = button.textContent;
      var timer = 0;
      button.type = 'button';
      button.addEventListener('click', function () {
        var text = button.getAttribute('data-copy') || '';
        copyText(text).then(function (ok) {
          button.textContent = ok ? 'Copied' : 'Copy failed';
          button.classList.toggle('is-copied', ok);
          button.classList.toggle('is-failed', !ok);
          clearTimeout(timer);
          timer = setTimeout(function () {
            button.textContent = label;
            button.classList.remove('is-copied', 'is-failed');
          }, 1600);
        });
      });
      button.hidden = false;
    });
  }

  // ------------------------------------------------------------------ search

  var MAX_RESULTS = 10;

  function escapeRegExp(text) {
    return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  }

  /** Appends `text` to `parent`, wrapping every match of `pattern` in <mark>. */
  function appendHighlighted(parent, text, pattern) {
    var last = 0;
    var match;
    pattern.lastIndex = 0;
    while ((match = pattern.exec(text)) !== null) {
      if (match[0] === '') { pattern.lastIndex++; continue; }
      if (match.index > last) parent.appendChild(doc.createTextNode(text.slice(last, match.index)));
      parent.appendChild(el('mark', null, match[0]));
      last = match.index + match[0].length;
    }
    if (last < text.length) parent.appendChild(doc.createTextNode(text.slice(last)));
  }

  /** About `width` characters of `text` around its first match, on word boundaries. */
  function excerpt(text, lower, terms, width) {
    var at = -1;
    for (var i = 0; i < terms.length && at < 0; i++) at = lower.indexOf(terms[i]);
    if (at < 0) at = 0;
    var start = Math.max(0, at - Math.floor(width / 3));
    var end = Math.min(text.length, start + width);
    if (start > 0) {
      var space = text.indexOf(' ', start);
      if (space > -1 && space < at) start = space + 1;
    }
    if (end < text.length) {
      var back = text.lastIndexOf(' ', end);
      if (back > at) end = back;
    }
    return (start > 0 ? '… ' : '') + text.slice(start, end) + (end < text.length ? ' …' : '');
  }

  /** A relative URL from the index, or null for anything that is not one. */
  function safeRelativeUrl(url) {
    if (typeof url !== 'string' || url === '') return null;
    // No scheme (javascript:, data:, http:), no protocol-relative or absolute path.
    if (/^[a-z][a-z0-9+.-]*:/i.test(url) || /^[\\/]/.test(url)) return null;
    return url;
  }

  function setupSearch() {
    var input = doc.getElementById('search-input');
    var list = doc.getElementById('search-results');
    if (!input || !list) return;
    var box = input.closest('.search');
    var prefix = siteRoot();
    var docs = null;          // prepared index once loaded
    var state = 'idle';       // idle | loading | ready | failed
    var active = -1;          // index of the highlighted result

    if (box) box.setAttribute('role', 'search');

    function prepare(index) {
      var raw = index && Array.isArray(index.docs) ? index.docs : [];
      return raw.map(function (entry) {
        var d = {
          t: String(entry.t || ''), h: String(entry.h || ''),
          x: String(entry.x || ''), k: String(entry.k || ''),
          u: safeRelativeUrl(entry.u)
        };
        d.lt = d.t.toLowerCase();
        d.lh = d.h.toLowerCase();
        d.lx = d.x.toLowerCase();
        d.lk = d.k.toLowerCase();
        return d;
      }).filter(function (d) { return d.u !== null; });
    }

    function isIndex(value) {
      return !!value && !(value instanceof Node) && Array.isArray(value.docs);
    }

    /** A large site's index: a list of shards, each a script under assets/. */
    function isShardList(value) {
      return !!value && !(value instanceof Node) && Array.isArray(value.shards);
    }

    function addScript(src, onload, onerror) {
      var script = el('script');
      script.src = src;
      script.async = true;
      script.onload = onload;
      script.onerror = onerror;
      doc.head.appendChild(script);
    }

    /**
     * Loads every shard, the one holding the reader's own section first, and
     * answers from what has arrived ('partial') until all have.
     */
    function loadShards(shards) {
      var current = (siteCurrentPath() || '').split('/')[0];
      var order = shards.map(function (shard, n) { return n; });
      order.sort(function (a, b) {
        var mineA = (shards[a].f || []).indexOf(current) > -1 ? 0 : 1;
        var mineB = (shards[b].f || []).indexOf(current) > -1 ? 0 : 1;
        return mineA - mineB || a - b;
      });
      var parts = [];
      var pending = shards.length;
      var loaded = 0;
      function settle() {
        pending--;
        docs = [].concat.apply([], parts.filter(Boolean));
        if (pending === 0) state = loaded ? 'ready' : 'failed';
        else if (loaded) state = 'partial';
        if (input.value.trim()) render();
      }
      var store = window.KBTOOL_SEARCH_SHARDS;
      order.forEach(function (n) {
        var url = safeRelativeUrl(shards[n].u);
        if (!url) { settle(); return; }
        addScript(prefix + 'assets/' + url, function () {
          var shard = (window.KBTOOL_SEARCH_SHARDS || store || {})[n];
          if (isIndex(shard)) { parts[n] = prepare(shard); loaded++; }
          settle();
        }, settle);
      });
      if (!shards.length) { state = 'failed'; if (input.value.trim()) render(); }
    }

    function load() {
      if (state !== 'idle') return;
      // A heading id can make window.KBTOOL_SEARCH_INDEX an element (named
      // access), so only an object with a docs array counts as the index.
      if (isIndex(window.KBTOOL_SEARCH_INDEX)) {   // already on the page (a second search box, a reload)
        docs = prepare(window.KBTOOL_SEARCH_INDEX);
        state = 'ready';
        return;
      }
      state = 'loading';
      addScript(prefix + 'assets/search-index.js', function () {
        var index = window.KBTOOL_SEARCH_INDEX;
        if (isShardList(index)) { loadShards(index.shards); return; }
        if (!isIndex(index)) {
          state = 'failed';
          if (input.value.trim()) render();
          return;
        }
        docs = prepare(index);
        state = 'ready';
        if (input.value.trim()) render();
      }, function () {
        state = 'failed';
        if (input.value.trim()) render();
      });
    }

    /** Scores a prepared entry against lower-cased terms; 0 = no match. */
    function score(d, terms, phrase) {
      var total = 0;
      for (var i = 0; i < terms.length; i++) {
        var term = terms[i];
        var s = 0;
        if (d.lt.indexOf(term) > -1) s += 12;
        if (d.lh.indexOf(term) > -1) s += 8;
        if (d.lk.indexOf(term) > -1) s += 6;
        if (d.lx.indexOf(term) > -1) s += 1;
        if (s === 0) return 0;   // every term has to appear somewhere
        total += s;
      }
      if (terms.length > 1) {
        if (d.lt.indexOf(phrase) > -1 || d.lh.indexOf(phrase) > -1) total += 10;
        else if (d.lx.indexOf(phrase) > -1) total += 3;
      }
      // A keyword that is exactly the query (an action, an ARN) ranks first.
      if (d.lk && (' ' + d.lk + ' ').indexOf(' ' + phrase + ' ') > -1) total += 6;
      // Page entries (no heading) edge out their own sections on a tie.
      if (!d.h) total += 0.5;
      return total;
    }

    function open() {
      list.hidden = false;
      input.setAttribute('aria-expanded', 'true');
    }

    function close() {
      list.hidden = true;
      input.setAttribute('aria-expanded', 'false');
      input.removeAttribute('aria-activedescendant');
      active = -1;
    }

    function message(text) {
      list.textContent = '';
      var li = el('li', 'search-empty', text);
      li.setAttribute('role', 'presentation');
      list.appendChild(li);
      open();
    }

    function render() {
      var query = input.value.trim();
      active = -1;
      input.removeAttribute('aria-activedescendant');
      if (!query) { list.textContent = ''; close(); return; }
      if (state === 'failed') { message('Search is unavailable: the index did not load.'); return; }
      if (state !== 'ready' && state !== 'partial') { message('Loading the search index…'); return; }

      var phrase = query.toLowerCase();
      var terms = phrase.split(/\s+/).filter(Boolean);
      var pattern = new RegExp(
        query.split(/\s+/).filter(Boolean)
          .sort(function (a, b) { return b.length - a.length; })  // longest first, so "s3:get" beats "s3"
          .map(escapeRegExp).join('|'),
        'giu');

      var hits = [];
      for (var i = 0; i < docs.length; i++) {
        var s = score(docs[i], terms, phrase);
        if (s > 0) hits.push({ d: docs[i], s: s, i: i });
      }
      hits.sort(function (a, b) { return b.s - a.s || a.i - b.i; });
      hits = hits.slice(0, MAX_RESULTS);

      list.textContent = '';
      if (!hits.length) {
        message(state === 'partial' ? 'Searching the rest of the index…' : 'No results for “' + query + '”');
        return;
      }

      hits.forEach(function (hit, n) {
        var d = hit.d;
        var li = el('li');
        li.id = 'search-result-' + n;
        li.setAttribute('role', 'option');
        li.setAttribute('aria-selected', 'false');
        var a = el('a');
        a.href = prefix + d.u;
        a.tabIndex = -1;   // the input keeps focus; arrows move the selection
        var title = el('span', 'search-title');
        appendHighlighted(title, d.t, pattern);
        a.appendChild(title);
        if (d.h) {
          var heading = el('span', 'search-heading');
          appendHighlighted(heading, d.h, pattern);
          a.appendChild(heading);
        }
        // Show the text around the match; fall back to the keywords when only they matched.
        var inText = terms.some(function (t) { return d.lx.indexOf(t) > -1; });
        var source = inText ? d.x : d.k;
        var lower = inText ? d.lx : d.lk;
        if (source) {
          var snippet = el('span', 'search-snippet');
          appendHighlighted(snippet, excerpt(source, lower, terms, 140), pattern);
          a.appendChild(snippet);
        }
        li.appendChild(a);
        list.appendChild(li);
      });
      if (state === 'partial') {
        var more = el('li', 'search-empty', 'Searching the rest of the index…');
        more.setAttribute('role', 'presentation');
        list.appendChild(more);
      }
      open();
    }

    function options() {
      return list.querySelectorAll('[role="option"]');
    }

    function select(n) {
      var items = options();
      if (!items.length) return;
      active = (n + items.length) % items.length;
      Array.prototype.forEach.call(items, function (item, i) {
        item.setAttribute('aria-selected', i === active ? 'true' : 'false');
      });
      input.setAttribute('aria-activedescendant', items[active].id);
      items[active].scrollIntoView({ block: 'nearest' });
    }

    input.addEventListener('focus', function () {
      load();
      if (input.value.trim()) render();
    });
    input.addEventListener('input', function () {
      load();
      render();
    });
    input.addEventListener('keydown', function (event) {
      if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
        if (list.hidden && input.value.trim()) render();
        select(active + (event.key === 'ArrowDown' ? 1 : -1));
        event.preventDefault();
      } else if (event.key === 'Enter') {
        var items = options();
        var target = items[active >= 0 ? active : 0];
        var link = target ? target.querySelector('a') : null;
        if (link && !list.hidden) {
          event.preventDefault();
          window.location.href = link.href;
        }
      } else if (event.key === 'Escape') {
        if (!list.hidden) close();
        else input.value = '';
        event.preventDefault();
      }
    });
    // Close when focus or a click goes elsewhere.
    doc.addEventListener('click', function (event) {
      if (box && !box.contains(event.target)) close();
    });
    input.addEventListener('blur', function () {
      // Let a click on a result land before the list disappears.
      setTimeout(function () {
        if (doc.activeElement !== input && !(box && box.contains(doc.activeElement))) close();
      }, 150);
    });
    // "/" focuses the search box from anywhere but a form field.
    doc.addEventListener('keydown', function (event) {
      if (event.key !== '/' || event.ctrlKey || event.metaKey || event.altKey) return;
      var t = event.target;
      if (t && (t.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(t.tagName))) return;
      event.preventDefault();
      input.focus();
    });

    input.hidden = false;
  }

  // -------------------------------------------------------- request explorer

  function setupExplorer(section) {
    var dataNode = section.querySelector('script.explorer-data');
    var form = section.querySelector('form.explorer-form');
    var output = section.querySelector('output.explorer-result');
    if (!dataNode || !form || !output) return;
    var principal = form.querySelector('select[name="principal"]');
    var action = form.querySelector('select[name="action"]');
    var resource = form.querySelector('select[name="resource"]');
    if (!principal || !action || !resource) return;

    var data;
    try {
      data = JSON.parse(dataNode.textContent);
    } catch (e) {
      return;   // unreadable data: leave the form hidden; the static flow table still stands
    }
    var principals = Array.isArray(data.principals) ? data.principals : [];
    var actions = Array.isArray(data.actions) ? data.actions : [];
    var resources = Array.isArray(data.resources) ? data.resources : [];
    var decisions = data.decisions && typeof data.decisions === 'object' ? data.decisions : {};
    if (!principals.length || !actions.length || !resources.length) return;

    function fill(select, items) {
      var previous = select.value;
      select.textContent = '';
      items.forEach(function (item) {
        var option = el('option', null, item.label || item.id);
        option.value = String(item.id);
        if (item.arn) option.title = item.arn;
        select.appendChild(option);
      });
      // Keep the reader's choice when it is still on offer.
      if (items.some(function (item) { return String(item.id) === previous; })) select.value = previous;
    }

    function resourcesFor(actionId) {
      var chosen = actions.filter(function (a) { return String(a.id) === actionId; })[0];
      var allowedIds = chosen && Array.isArray(chosen.resources) ? chosen.resources.map(String) : null;
      if (!allowedIds) return resources;
      return resources.filter(function (r) { return allowedIds.indexOf(String(r.id)) > -1; });
    }

    function byId(items, id) {
      return items.filter(function (item) { return String(item.id) === id; })[0];
    }

    function render() {
      var key = principal.value + '|' + action.value + '|' + resource.value;
      var decision = Object.prototype.hasOwnProperty.call(decisions, key) ? decisions[key] : null;
      output.textContent = '';
      output.classList.remove('decision-allowed', 'decision-denied', 'decision-error');
      if (!decision) {
        output.appendChild(el('p', 'explorer-empty', 'No decision was recorded for this request.'));
        return;
      }
      var verdict = String(decision.decision || '');
      var allowed = verdict.toLowerCase() === 'allowed';
      // "Error": the request failed for another reason than authorization.
      var failed = verdict.toLowerCase() === 'error';
      output.classList.add(allowed ? 'decision-allowed' : failed ? 'decision-error' : 'decision-denied');

      var head = el('p', 'explorer-verdict');
      head.appendChild(el('span', 'badge decision-badge', allowed ? 'Allowed' : failed ? 'Not decided' : 'Denied'));
      // The badge already says it; drop a summary's leading "Allowed:" / "Denied:".
      var summary = String(decision.summary || '').replace(/^(allowed|denied)\s*:\s*/i, '');
      if (summary) head.appendChild(el('span', 'explorer-summary', summary));
      output.appendChild(head);

      var p = byId(principals, principal.value);
      var r = byId(resources, resource.value);
      var request = el('p', 'explorer-request');
      request.textContent = (p && p.arn ? p.arn : principal.value) + ' → ' + action.value +
        ' → ' + (r && r.arn ? r.arn : resource.value);
      output.appendChild(request);

      var steps = Array.isArray(decision.steps) ? decision.steps : [];
      if (!steps.length) return;
      var list = el('ol', 'explorer-steps');
      steps.forEach(function (step) {
        var kindClass = step.kind ? 'step-' + slug(step.kind) : '';
        // Steps that decide nothing (S3 calling KMS, the key, the cryptography) carry
        // no decision: they are shown as plain events, worded by their summary.
        if (!step.decision) {
          var event = el('li', 'decision-none');
          if (kindClass) event.classList.add(kindClass);
          var what = step.summary || [step.service, step.action, step.resource].filter(Boolean).join(' ');
          event.appendChild(el('p', 'explorer-step-head', what));
          if (step.reason) event.appendChild(el('p', 'explorer-step-reason', step.reason));
          list.appendChild(event);
          return;
        }
        var stepAllowed = String(step.decision).toLowerCase() === 'allowed';
        var li = el('li', stepAllowed ? 'decision-allowed' : 'decision-denied');
        if (kindClass) li.classList.add(kindClass);
        var title = el('p', 'explorer-step-head');
        title.appendChild(el('span', 'explorer-step-decision', stepAllowed ? '✓ ' : '✖ '));
        // "s3:GetObject" already names its service; say the service only when it adds something.
        var action = String(step.action || '');
        var service = String(step.service || '');
        if (service && action.toLowerCase().indexOf(service.toLowerCase() + ':') !== 0) {
          title.appendChild(doc.createTextNode(service + ' '));
        }
        title.appendChild(el('code', null, action));
        if (step.resource) {
          title.appendChild(doc.createTextNode(' on '));
          title.appendChild(el('code', null, step.resource));
        }
        title.appendChild(doc.createTextNode(': '));
        title.appendChild(el('span', 'explorer-step-verdict', words(step.decision)));
        li.appendChild(title);
        if (step.reason) li.appendChild(el('p', 'explorer-step-reason', step.reason));
        var policies = Array.isArray(step.policies) ? step.policies : [];
        if (policies.length) {
          var ul = el('ul', 'explorer-policies');
          policies.forEach(function (policy) {
            var item = el('li', 'policy-result result-' + slug(policy.result));
            item.appendChild(el('strong', null, policy.name || 'policy'));
            if (policy.result) item.appendChild(doc.createTextNode(': ' + policy.result));
            var statements = Array.isArray(policy.statements) ? policy.statements : [];
            if (statements.length) {
              var inner = el('ul', 'explorer-statements');
              statements.forEach(function (statement) {
                inner.appendChild(el('li', null, statement));
              });
              item.appendChild(inner);
            }
            ul.appendChild(item);
          });
          li.appendChild(ul);
        }
        list.appendChild(li);
      });
      output.appendChild(list);
    }

    fill(principal, principals);
    fill(action, actions);
    fill(resource, resourcesFor(action.value));

    form.addEventListener('change', function (event) {
      if (event.target === action) fill(resource, resourcesFor(action.value));
      render();
    });
    form.addEventListener('submit', function (event) {
      event.preventDefault();
      render();
    });

    form.hidden = false;
    render();
  }

  function setupExplorers() {
    Array.prototype.forEach.call(doc.querySelectorAll('section.explorer'), setupExplorer);
  }

  // ---------------------------------------------------------------- sidebar

  /**
   * The page carries only its branch of the sidebar; assets/sidebar.js holds the
   * whole tree (loaded once as a script, so file:// works, and cached by the
   * browser). The tree replaces the branch: the current page's categories open,
   * the others closed and filled in when first opened, and the current entry
   * scrolled into view.
   */
  function setupSidebar() {
    var sidebar = doc.getElementById('sidebar');
    var branch = sidebar ? sidebar.querySelector('ul.sidebar-tree') : null;
    if (!branch) return;
    var current = branch.getAttribute('data-current') || '';
    var prefix = siteRoot();
    revealCurrent(sidebar);

    function isTree(value) {
      return !!value && !(value instanceof Node) && Array.isArray(value.items);
    }

    /** The categories (as item objects) on the way to the current page. */
    function pathTo(items, trail) {
      for (var i = 0; i < items.length; i++) {
        var item = items[i];
        if (item && item.u === current && current) return trail;
        if (item && Array.isArray(item.c)) {
          var found = pathTo(item.c, trail.concat([item]));
          if (found) return found;
        }
      }
      return null;
    }

    function link(item, className) {
      var url = safeRelativeUrl(item.u);
      var a = el('a', className, item.l);
      if (url !== null) a.href = prefix + url;
      if (current && item.u === current) a.setAttribute('aria-current', 'page');
      return a;
    }

    /** Closed categories are filled when first opened, once the tree is large. */
    var lazy = false;

    function count(items) {
      return items.reduce(function (n, item) {
        return n + 1 + (item && Array.isArray(item.c) ? count(item.c) : 0);
      }, 0);
    }

    function list(items, open) {
      var ul = el('ul');
      items.forEach(function (item) {
        if (!item || typeof item.l !== 'string') return;
        var li = el('li');
        if (!Array.isArray(item.c)) {
          li.appendChild(link(item));
        } else {
          li.className = 'sidebar-category';
          var details = el('details');
          var summary = el('summary');
          summary.appendChild(item.u ? link(item) : doc.createTextNode(item.l));
          details.appendChild(summary);
          var filled = false;
          var fill = function () {
            if (filled || (lazy && !details.open)) return;
            filled = true;
            details.appendChild(list(item.c, open));
          };
          if (open.indexOf(item) > -1 || item.o || item.f) details.open = true;
          if (item.f) details.className = 'sidebar-fixed';
          fill();
          details.addEventListener('toggle', fill);
          li.appendChild(details);
        }
        ul.appendChild(li);
      });
      return ul;
    }

    function draw(tree) {
      var open = pathTo(tree.items, []) || [];
      lazy = count(tree.items) > 3000;
      var ul = list(tree.items, open);
      ul.className = 'sidebar-tree';
      ul.setAttribute('data-current', current);
      branch.parentNode.replaceChild(ul, branch);
      branch = ul;
      revealCurrent(sidebar);
    }

    if (isTree(window.KBTOOL_SIDEBAR)) { draw(window.KBTOOL_SIDEBAR); return; }
    var script = el('script');
    script.src = prefix + 'assets/sidebar.js';
    script.async = true;
    script.onload = function () { if (isTree(window.KBTOOL_SIDEBAR)) draw(window.KBTOOL_SIDEBAR); };
    doc.head.appendChild(script);
  }

  /** Scrolls the sidebar (only the sidebar) so the current page's entry shows. */
  function revealCurrent(sidebar) {
    var here = sidebar.querySelector('a[aria-current="page"]');
    if (!here) return;
    var top = here.getBoundingClientRect().top - sidebar.getBoundingClientRect().top;
    if (top < 0 || top > sidebar.clientHeight - 40) sidebar.scrollTop += top - sidebar.clientHeight / 3;
  }

  // -------------------------------------------------------------------- tabs

  /**
   * MDX <Tabs>: without scripts each panel is a labelled section, one under
   * another; here the labels become a tab list and one panel shows at a time.
   */
  function setupTabs() {
    Array.prototype.forEach.call(doc.querySelectorAll('.doc div.tabs'), function (box, n) {
      var panels = Array.prototype.filter.call(box.children, function (c) {
        return c.classList.contains('tab-panel');
      });
      if (panels.length < 2) return;
      var list = el('div', 'tab-list');
      list.setAttribute('role', 'tablist');
      var buttons = [];
      var wanted = box.getAttribute('data-default');
      var initial = 0;
      panels.forEach(function (panel, i) {
        var label = panel.querySelector(':scope > .tab-label');
        var id = 'tabs-' + n + '-' + i;
        panel.id = panel.id || id + '-panel';
        panel.setAttribute('role', 'tabpanel');
        var button = el('button', 'tab', label ? label.textContent : 'Tab ' + (i + 1));
        button.type = 'button';
        button.id = id;
        button.setAttribute('role', 'tab');
        button.setAttribute('aria-controls', panel.id);
        panel.setAttribute('aria-labelledby', id);
        if (panel.hasAttribute('data-default') || (wanted && panel.getAttribute('data-value') === wanted)) initial = i;
        button.addEventListener('click', function () { select(i, false); });
        button.addEventListener('keydown', function (event) {
          var step = event.key === 'ArrowRight' ? 1 : event.key === 'ArrowLeft' ? -1 : 0;
          if (!step) return;
          event.preventDefault();
          select((i + step + panels.length) % panels.length, true);
        });
        buttons.push(button);
        list.appendChild(button);
      });
      function select(index, focus) {
        panels.forEach(function (panel, i) {
          var on = i === index;
          panel.hidden = !on;
          buttons[i].setAttribute('aria-selected', on ? 'true' : 'false');
          buttons[i].tabIndex = on ? 0 : -1;
        });
        if (focus) buttons[index].focus();
      }
      box.insertBefore(list, box.firstChild);
      box.classList.add('tabs-ready');
      select(initial, false);
    });
  }

  // ------------------------------------------------------- small-screen menu

  function setupNavToggle() {
    var button = doc.querySelector('.nav-toggle');
    var sidebar = doc.getElementById('sidebar');
    if (!button || !sidebar) return;
    button.addEventListener('click', function () {
      var open = sidebar.classList.toggle('is-open');
      button.setAttribute('aria-expanded', open ? 'true' : 'false');
    });
    button.hidden = false;
  }

  // ------------------------------------------------- toc: current section

  function setupTocHighlight() {
    var links = doc.querySelectorAll('.toc a[href^="#"]');
    if (!links.length || !('requestAnimationFrame' in window)) return;
    var entries = [];
    Array.prototype.forEach.call(links, function (link) {
      var id = decodeURIComponent(link.getAttribute('href').slice(1));
      var target = id ? doc.getElementById(id) : null;
      if (target) entries.push({ link: link, target: target });
    });
    if (!entries.length) return;
    var current = null;
    var pending = false;

    function update() {
      pending = false;
      // The current section is the last heading that has scrolled past the top third.
      var line = window.innerHeight / 3;
      var found = entries[0];
      for (var i = 0; i < entries.length; i++) {
        if (entries[i].target.getBoundingClientRect().top <= line) found = entries[i];
        else break;
      }
      if (found === current) return;
      if (current) current.link.classList.remove('is-active');
      found.link.classList.add('is-active');
      current = found;
    }

    window.addEventListener('scroll', function () {
      if (!pending) { pending = true; window.requestAnimationFrame(update); }
    }, { passive: true });
    update();
  }

  // ------------------------------------------------------------------ print

  /** Opens closed <details> for printing and closes them again afterwards. */
  function setupPrint() {
    var opened = [];
    window.addEventListener('beforeprint', function () {
      Array.prototype.forEach.call(doc.querySelectorAll('.doc details:not([open])'), function (d) {
        d.open = true;
        opened.push(d);
      });
    });
    window.addEventListener('afterprint', function () {
      opened.forEach(function (d) { d.open = false; });
      opened = [];
    });
  }

  // ------------------------------------------------------------------- start

  function start() {
    // One failing feature must not take the others down with it.
    [setupThemeToggle, setupSidebar, setupTabs, setupCopyButtons, setupSearch, setupExplorers,
      setupNavToggle, setupTocHighlight, setupPrint].forEach(function (setup) {
      try {
        setup();
      } catch (e) {
        if (window.console && console.warn) console.warn('kbtool: ' + setup.name + ' failed', e);
      }
    });
  }

  if (doc.readyState === 'loading') doc.addEventListener('DOMContentLoaded', start);
  else start();
})();
