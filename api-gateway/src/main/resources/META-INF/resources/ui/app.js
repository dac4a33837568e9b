// taskq dashboard: plain JavaScript over the REST API, no framework and no build step.
// Every piece of data is inserted as text (textContent, Node.append of strings, setAttribute), never as HTML.
'use strict';

(() => {
  const TOKEN_KEY = 'taskq.apiToken';
  const STATUSES = ['WAITING', 'QUEUED', 'DISPATCHED', 'RUNNING', 'WAITING_FOR_INPUT', 'SUCCEEDED', 'FAILED', 'TIMED_OUT',
    'CANCELLED', 'UPSTREAM_FAILED', 'SKIPPED'];
  const TERMINAL = new Set(['SUCCEEDED', 'FAILED', 'TIMED_OUT', 'CANCELLED', 'UPSTREAM_FAILED', 'SKIPPED']);
  const RETRYABLE = new Set(['FAILED', 'TIMED_OUT', 'CANCELLED']);
  const LIST_POLL_MS = 3000;
  const DETAIL_POLL_MS = 10000;
  const STREAM_RETRY_MS = 2000;
  // A browser tab stays responsive with this many log lines; older ones are dropped from the page (not from taskq).
  const MAX_LOG_LINES = 5000;
  const MAX_GRAPH_NODES = 300;
  // POST /api/v1/tasks/{id}/answer takes at most this many characters.
  const MAX_ANSWER_CHARS = 32000;

  const view = document.getElementById('view');
  let current = null;

  // ---------- DOM helpers: text only ----------

  /** An element with attributes (on* = listeners) and children (strings become text nodes). */
  function el(tag, attrs, ...children) {
    return build(document.createElement(tag), attrs, children);
  }

  function svg(tag, attrs, ...children) {
    return build(document.createElementNS('http://www.w3.org/2000/svg', tag), attrs, children);
  }

  function build(node, attrs, children) {
    for (const [key, value] of Object.entries(attrs || {})) {
      if (value === null || value === undefined || value === false) {
        continue;
      }
      if (key.startsWith('on')) {
        node.addEventListener(key.slice(2), value);
      } else {
        node.setAttribute(key, value === true ? '' : String(value));
      }
    }
    for (const child of children.flat(Infinity)) {
      if (child !== null && child !== undefined && child !== false) {
        node.append(child instanceof Node ? child : String(child));
      }
    }
    return node;
  }

  /** Replaces a node's children; like el(), null and false children are left out. */
  function fill(node, ...children) {
    node.replaceChildren();
    return build(node, {}, children);
  }

  /** Links only ever point inside the page: a fixed prefix and an encoded id. */
  function taskHref(id) {
    return '#/tasks/' + encodeURIComponent(id);
  }

  function taskLink(id, text) {
    return el('a', { href: taskHref(id), class: 'mono' }, text || shortId(id));
  }

  // A dispatch the dependency-service withdrew and re-sent to a free worker (CANCELLED, never started, no failure cause)
// does not count against maxAttempts; say so rather than show "3 of 2".
function attemptsLabel(task) {
  const withdrawn = (task.attempts || []).filter((a) => a.attempt !== task.currentAttempt
    && a.status === 'CANCELLED' && !a.startedAt && !a.failureCause).length;
  const counted = task.currentAttempt - withdrawn;
  return counted + ' of ' + task.maxAttempts
    + (withdrawn > 0 ? ' (and ' + withdrawn + ' re-sent dispatch' + (withdrawn > 1 ? 'es' : '') + ', not counted)' : '');
}

function shortId(id) {
    return String(id).slice(0, 8);
  }

  function badge(status) {
    return el('span', { class: 'badge s-' + String(status).toLowerCase(), 'data-status': status }, status);
  }

  function when(instant) {
    if (!instant) {
      return el('span', { class: 'muted' }, '—');
    }
    const date = new Date(instant);
    return el('time', { datetime: instant, title: date.toLocaleString() }, relative(date));
  }

  function relative(date) {
    const seconds = Math.round((date.getTime() - Date.now()) / 1000);
    const abs = Math.abs(seconds);
    const text = abs < 60 ? abs + ' s' : abs < 3600 ? Math.round(abs / 60) + ' min' : abs < 86400
      ? Math.round(abs / 3600) + ' h' : Math.round(abs / 86400) + ' d';
    return seconds > 1 ? 'in ' + text : abs <= 1 ? 'now' : text + ' ago';
  }

  function table(headers, rows, attrs) {
    return el('div', { class: 'table-wrap' },
      el('table', attrs || {},
        el('thead', {}, el('tr', {}, headers.map((h) => el('th', { scope: 'col' }, h)))),
        el('tbody', {}, rows)));
  }

  /** A definition list of [label, value] pairs, leaving out empty values. */
  function fields(pairs) {
    return el('dl', { class: 'fields' }, pairs
      .filter(([, value]) => value !== null && value !== undefined && value !== '' && !(Array.isArray(value) && !value.length))
      .map(([label, value]) => [el('dt', {}, label), el('dd', {}, value)]));
  }

  function section(title, ...children) {
    return el('section', { class: 'card' }, el('h2', {}, title), children);
  }

  function flash(message, kind) {
    const node = document.getElementById('flash');
    node.textContent = message;
    node.className = 'flash ' + (kind || 'info');
    node.hidden = false;
    clearTimeout(flash.timer);
    flash.timer = setTimeout(() => { node.hidden = true; }, kind === 'error' ? 10000 : 4000);
  }

  /** A button that asks for a second click before it acts: no modal dialogs, works the same on a phone. */
  function confirmButton(label, question, action, attrs) {
    const holder = el('span', { class: 'confirm' });
    const start = el('button', Object.assign({ type: 'button', class: 'danger' }, attrs || {}), label);
    start.addEventListener('click', () => {
      const yes = el('button', { type: 'button', class: 'danger', 'data-confirm': attrs && attrs['data-action'] },
        'Yes, ' + label.toLowerCase());
      const no = el('button', { type: 'button' }, 'No');
      yes.addEventListener('click', async () => {
        yes.disabled = true;
        try {
          await action();
        } finally {
          fill(holder, start);
        }
      });
      no.addEventListener('click', () => fill(holder, start));
      fill(holder, el('span', { class: 'question' }, question), yes, no);
    });
    holder.append(start);
    return holder;
  }

  /** Whether a confirmButton inside node waits for its second click: a refresh then leaves node alone. */
  function confirming(node) {
    return node.querySelector('.confirm .question') !== null;
  }

  function actionButton(label, action, attrs) {
    const button = el('button', Object.assign({ type: 'button' }, attrs || {}), label);
    button.addEventListener('click', async () => {
      button.disabled = true;
      try {
        await action();
      } finally {
        button.disabled = false;
      }
    });
    return button;
  }

  // ---------- API ----------

  class ApiError extends Error {
    constructor(status, problem) {
      const detail = (problem && (problem.detail || problem.title)) || 'HTTP ' + status;
      const errors = problem && Array.isArray(problem.errors)
        ? problem.errors.map((e) => (e.field ? e.field + ' ' : '') + e.message).join('; ') : '';
      super(errors ? detail + ' (' + errors + ')' : detail);
      this.status = status;
    }
  }

  class SignedOut extends Error {}

  function token() {
    return localStorage.getItem(TOKEN_KEY);
  }

  function authHeaders(extra) {
    return Object.assign({ Authorization: 'Bearer ' + token() }, extra || {});
  }

  async function api(method, path, body, signal, extraHeaders) {
    const init = { method, headers: authHeaders(Object.assign({ Accept: 'application/json' }, extraHeaders)), signal };
    if (body !== undefined) {
      init.headers['Content-Type'] = 'application/json';
      init.body = JSON.stringify(body);
    }
    const response = await fetch(path, init);
    if (response.status === 401) {
      signOut('The API did not accept the token: sign in again.');
      throw new SignedOut();
    }
    const text = await response.text();
    let data = null;
    if (text) {
      try {
        data = JSON.parse(text);
      } catch (e) {
        data = null;
      }
    }
    if (!response.ok) {
      throw new ApiError(response.status, data);
    }
    return data;
  }

  /** Reports a failed call on the page, except the ones that ended the view or the session. */
  function report(error, ctx) {
    if (error instanceof SignedOut || (error && error.name === 'AbortError') || (ctx && !ctx.alive())) {
      return;
    }
    flash(error.message || String(error), 'error');
  }

  /** An RFC 4122 v4 id from crypto.getRandomValues (crypto.randomUUID needs a secure context; plain http may not be one). */
  function uuid() {
    const bytes = crypto.getRandomValues(new Uint8Array(16));
    bytes[6] = (bytes[6] & 0x0f) | 0x40;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    const hex = Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
    return hex.slice(0, 8) + '-' + hex.slice(8, 12) + '-' + hex.slice(12, 16) + '-' + hex.slice(16, 20) + '-' + hex.slice(20);
  }

  // ---------- Views' lifetime: polls and streams stop when the view is left ----------

  function newContext() {
    const controller = new AbortController();
    const timers = new Set();
    const ctx = {
      signal: controller.signal,
      alive: () => !controller.signal.aborted,
      /** Runs fn now and then every ms after it finished, while the view is open; skips beats while the tab is hidden. */
      every(ms, fn) {
        const tick = async () => {
          if (!ctx.alive()) {
            return;
          }
          if (!document.hidden) {
            try {
              await fn();
            } catch (error) {
              report(error, ctx);
            }
          }
          if (ctx.alive()) {
            const timer = setTimeout(() => { timers.delete(timer); tick(); }, ms);
            timers.add(timer);
          }
        };
        tick();
      },
      sleep(ms) {
        return new Promise((resolve) => {
          const timer = setTimeout(() => { timers.delete(timer); resolve(); }, ms);
          timers.add(timer);
        });
      },
      stop() {
        controller.abort();
        timers.forEach(clearTimeout);
        timers.clear();
      },
    };
    return ctx;
  }

  // ---------- Sign in ----------

  function signOut(message) {
    localStorage.removeItem(TOKEN_KEY);
    showLogin(message);
  }

  function showLogin(message) {
    if (current) {
      current.stop();
      current = null;
    }
    fill(view);
    document.getElementById('nav').hidden = true;
    document.getElementById('sign-out').hidden = true;
    document.getElementById('login').hidden = false;
    document.getElementById('login-error').textContent = message || '';
    document.getElementById('login-token').focus();
  }

  document.getElementById('login-form').addEventListener('submit', async (event) => {
    event.preventDefault();
    const input = document.getElementById('login-token');
    const candidate = input.value.trim();
    const error = document.getElementById('login-error');
    // Checked with a cheap authenticated call before it is kept.
    const response = await fetch('/api/v1/workers', { headers: { Authorization: 'Bearer ' + candidate } })
      .catch(() => null);
    if (!response || response.status === 401) {
      error.textContent = response ? 'The API did not accept this token.' : 'The API cannot be reached.';
      return;
    }
    localStorage.setItem(TOKEN_KEY, candidate);
    input.value = '';
    if (!location.hash || location.hash === '#/') {
      location.hash = '#/tasks'; // routes on hashchange
    } else {
      route();
    }
  });

  document.getElementById('sign-out').addEventListener('click', () => signOut(''));

  // ---------- Routing ----------

  function route() {
    if (current) {
      current.stop();
    }
    if (!token()) {
      showLogin('');
      return;
    }
    document.getElementById('login').hidden = true;
    document.getElementById('nav').hidden = false;
    document.getElementById('sign-out').hidden = false;
    const hash = location.hash.replace(/^#\/?/, '');
    const [path, query] = hash.split('?');
    const parts = path.split('/').filter(Boolean).map((part) => {
      try {
        return decodeURIComponent(part);
      } catch (e) {
        return part;
      }
    });
    const params = new URLSearchParams(query || '');
    const area = parts[0] || 'tasks';
    document.querySelectorAll('#nav a').forEach((a) => a.classList.toggle('active', a.dataset.nav === area));
    current = newContext();
    fill(view);
    const views = {
      tasks: () => (parts[1] ? taskDetailView(parts[1], current) : taskListView(params, current)),
      workflows: () => (parts[1] ? workflowView(parts[1], current) : workflowListView(current)),
      schedules: () => scheduleListView(current),
      workers: () => workersView(current),
    };
    (views[area] || views.tasks)();
  }

  window.addEventListener('hashchange', route);

  // ---------- Tasks ----------

  function taskListView(params, ctx) {
    const statuses = params.getAll('status');
    const pool = params.get('pool') || '';
    const cursor = params.get('cursor');
    const setFilter = (next) => {
      const query = new URLSearchParams();
      next.statuses.forEach((s) => query.append('status', s));
      if (next.pool) {
        query.set('pool', next.pool);
      }
      location.hash = '#/tasks' + (query.toString() ? '?' + query : '');
    };

    const chips = STATUSES.map((status) => {
      const box = el('input', { type: 'checkbox', value: status, checked: statuses.includes(status) });
      box.addEventListener('change', () => setFilter({
        statuses: STATUSES.filter((s) => (s === status ? box.checked : statuses.includes(s))), pool,
      }));
      return el('label', { class: 'chip' }, box, status);
    });
    const poolInput = el('input', { id: 'filter-pool', type: 'search', placeholder: 'any pool', value: pool, spellcheck: 'false' });
    poolInput.addEventListener('change', () => setFilter({ statuses, pool: poolInput.value.trim() }));

    const body = el('tbody', { id: 'task-rows' });
    const pager = el('div', { class: 'pager' });
    const updated = el('span', { class: 'muted small' });

    view.append(
      el('div', { class: 'title-row' }, el('h1', {}, 'Tasks'), updated),
      submitForm(),
      el('div', { class: 'filters' },
        el('div', { class: 'chips', role: 'group', 'aria-label': 'Status' }, chips),
        el('label', { class: 'inline' }, 'Pool ', poolInput),
        statuses.length || pool ? el('a', { href: '#/tasks' }, 'Clear filters') : null),
      el('div', { class: 'table-wrap' }, el('table', { class: 'tasks' },
        el('thead', {}, el('tr', {}, ['Status', 'Task', 'Pool', 'Priority', 'Attempt', 'Created', 'Updated']
          .map((h, i) => el('th', { scope: 'col', class: i >= 2 && i <= 5 ? 'opt' : null }, h)))),
        body)),
      pager);

    ctx.every(LIST_POLL_MS, async () => {
      const query = new URLSearchParams();
      statuses.forEach((s) => query.append('status', s));
      if (pool) {
        query.set('pool', pool);
      }
      if (cursor) {
        query.set('cursor', cursor);
      }
      query.set('limit', '50');
      const page = await api('GET', '/api/v1/tasks?' + query, undefined, ctx.signal);
      fill(body, ...page.items.map((task) => el('tr', { 'data-task-id': task.id },
        el('td', {}, badge(task.status)),
        el('td', { class: 'prompt-cell' }, el('a', { href: taskHref(task.id) },
          task.workflowRef ? el('span', { class: 'ref' }, task.workflowRef) : null, task.promptPreview),
        task.question ? el('div', { class: 'asks small' }, 'Asks: ', task.question.text)
          : task.statusReason ? el('div', { class: 'muted small' }, task.statusReason) : null),
        el('td', { class: 'opt' }, task.pool),
        el('td', { class: 'opt' }, task.priorityClass + ' (' + task.priority + ')'),
        el('td', { class: 'opt' }, task.currentAttempt || '—'),
        el('td', { class: 'opt' }, when(task.createdAt)),
        el('td', {}, when(task.updatedAt)))));
      if (!page.items.length) {
        body.append(el('tr', {}, el('td', { colspan: 7, class: 'muted' }, 'No tasks match.')));
      }
      const next = new URLSearchParams(params);
      next.delete('cursor');
      const first = '#/tasks' + (next.toString() ? '?' + next : '');
      if (page.nextCursor) {
        next.set('cursor', page.nextCursor);
      }
      fill(pager,
        cursor ? el('a', { href: first }, '« Newest') : null,
        page.nextCursor ? el('a', { href: '#/tasks?' + next }, 'Older »') : null);
      updated.textContent = 'live · updated ' + new Date().toLocaleTimeString();
    });
  }

  function submitForm() {
    const prompt = el('textarea', { id: 'new-prompt', name: 'prompt', rows: 3, required: true,
      placeholder: 'What should the session do?' });
    const pool = el('input', { id: 'new-pool', name: 'pool', placeholder: 'default', spellcheck: 'false' });
    const priority = el('select', { id: 'new-priority', name: 'priority' },
      el('option', { value: '' }, 'default (5)'),
      ['P0', 'P1', 'P2', 'P3'].map((p) => el('option', { value: p }, p)));
    const maxTurns = el('input', { id: 'new-max-turns', name: 'maxTurns', type: 'number', min: 1, max: 1000 });
    const timeout = el('input', { id: 'new-timeout', name: 'timeoutSeconds', type: 'number', min: 1 });
    const workingDir = el('input', { id: 'new-working-dir', name: 'workingDir', placeholder: 'worker default', spellcheck: 'false' });
    const repoUrl = el('input', { id: 'new-repo-url', name: 'repoUrl', placeholder: 'https://… or git@host:path (instead of a directory)',
      spellcheck: 'false' });
    const repoRef = el('input', { id: 'new-repo-ref', name: 'repoRef', placeholder: 'default branch', spellcheck: 'false' });
    const error = el('p', { class: 'error', role: 'alert' });
    const form = el('form', { id: 'submit-form', class: 'submit-form' },
      el('label', { class: 'wide' }, 'Prompt', prompt),
      el('label', {}, 'Pool', pool),
      el('label', {}, 'Priority', priority),
      el('label', {}, 'Max turns', maxTurns),
      el('label', {}, 'Timeout (s)', timeout),
      el('label', { class: 'wide' }, 'Working directory', workingDir),
      el('label', {}, 'Repository', repoUrl),
      el('label', {}, 'Ref', repoRef),
      el('div', { class: 'wide' }, el('button', { id: 'new-submit', type: 'submit' }, 'Submit task'), error));
    form.addEventListener('submit', async (event) => {
      event.preventDefault();
      error.textContent = '';
      const body = { prompt: prompt.value };
      if (pool.value.trim()) body.pool = pool.value.trim();
      if (priority.value) body.priority = priority.value;
      if (maxTurns.value) body.maxTurns = Number(maxTurns.value);
      if (timeout.value) body.timeoutSeconds = Number(timeout.value);
      if (workingDir.value.trim()) body.workingDir = workingDir.value.trim();
      if (repoUrl.value.trim() || repoRef.value.trim()) {
        body.repo = { url: repoUrl.value.trim() };
        if (repoRef.value.trim()) body.repo.ref = repoRef.value.trim();
      }
      try {
        // A double click or a retried request creates the task once.
        const task = await api('POST', '/api/v1/tasks', body, undefined, { 'Idempotency-Key': uuid() });
        location.hash = taskHref(task.id);
      } catch (e) {
        if (!(e instanceof SignedOut)) {
          error.textContent = e.message;
        }
      }
    });
    return el('details', { class: 'card new-task' }, el('summary', { id: 'new-task' }, 'New task'), form);
  }

  function taskDetailView(id, ctx) {
    const header = el('div', { class: 'title-row' });
    const questionBox = el('div', { id: 'task-question' });
    const summary = el('div', { id: 'task-summary', class: 'grid' });
    const toolCalls = el('ol', { id: 'tool-calls', class: 'events' });
    const toolEmpty = el('p', { class: 'muted' }, 'No tool calls yet.');
    const logBox = el('div', { id: 'log', class: 'log', role: 'log', 'aria-live': 'off' });
    const logState = el('span', { id: 'log-state', class: 'pill' }, 'connecting');
    const follow = el('input', { type: 'checkbox', checked: true });
    let task = null;

    view.append(
      el('nav', { class: 'crumbs' }, el('a', { href: '#/tasks' }, 'Tasks'), ' / ', el('span', { class: 'mono' }, id)),
      header,
      questionBox,
      summary,
      el('div', { class: 'log-grid' },
        el('section', { class: 'card' },
          el('div', { class: 'title-row' }, el('h2', {}, 'Log'), logState,
            el('label', { class: 'inline small' }, follow, ' follow')),
          logBox),
        el('section', { class: 'card' }, el('h2', {}, 'Tool calls'), toolEmpty, toolCalls)));

    const refresh = async () => {
      task = await api('GET', '/api/v1/tasks/' + encodeURIComponent(id), undefined, ctx.signal);
      if (ctx.alive()) {
        renderTask(task, header, summary, refresh);
        renderQuestion(task, questionBox, refresh);
      }
    };
    ctx.every(DETAIL_POLL_MS, async () => {
      if (!task || !TERMINAL.has(task.status)) {
        await refresh();
      }
    });

    let lines = 0;
    let lastAttempt = null;
    followLog(id, ctx, {
      line(line) {
        if (line.attempt !== lastAttempt) {
          lastAttempt = line.attempt;
          logBox.append(el('div', { class: 'attempt-mark' }, 'attempt ' + line.attempt));
        }
        logBox.append(el('div', { class: 'log-line k-' + line.kind.toLowerCase(), 'data-kind': line.kind },
          el('span', { class: 'ln', title: new Date(line.at).toLocaleString() }, line.lineNumber),
          el('span', { class: 'kind' }, line.kind),
          el('span', { class: 'text' }, line.text)));
        if (++lines > MAX_LOG_LINES) {
          logBox.firstChild.remove();
        }
        if (line.kind === 'TOOL_USE') {
          toolEmpty.hidden = true;
          toolCalls.append(el('li', { class: 'tool-call' },
            el('time', { datetime: line.at }, new Date(line.at).toLocaleTimeString()),
            el('span', { class: 'muted small' }, ' attempt ' + line.attempt + ' '),
            el('code', {}, line.text)));
        }
        if (follow.checked) {
          logBox.scrollTop = logBox.scrollHeight;
        }
      },
      status() {
        refresh().catch((e) => report(e, ctx));
      },
      state(text) {
        logState.textContent = text;
        logState.dataset.state = text;
      },
    });
  }

  function renderTask(task, header, summary, refresh) {
    const actions = el('div', { class: 'actions' });
    const path = '/api/v1/tasks/' + encodeURIComponent(task.id);
    if (!TERMINAL.has(task.status)) {
      actions.append(confirmButton('Cancel', 'Cancel this task (and those waiting on it)?', async () => {
        try {
          await api('POST', path + '/cancel');
          flash('Task cancelled.');
          await refresh();
        } catch (e) {
          report(e);
        }
      }, { 'data-action': 'cancel' }));
    }
    if (RETRYABLE.has(task.status)) {
      actions.append(actionButton('Retry', async () => {
        try {
          const created = await api('POST', path + '/retry');
          location.hash = taskHref(created.task.id);
        } catch (e) {
          report(e);
        }
      }, { 'data-action': 'retry' }));
    }
    if (TERMINAL.has(task.status) && task.sessionId) {
      actions.append(actionButton('Resume', async () => {
        try {
          const created = await api('POST', path + '/resume');
          location.hash = taskHref(created.id);
        } catch (e) {
          report(e);
        }
      }, { 'data-action': 'resume' }));
    }
    if (!confirming(header)) {
      fill(header,
        el('h1', {}, el('span', { id: 'task-status' }, badge(task.status)), ' ',
          task.workflowRef ? task.workflowRef : 'Task ' + shortId(task.id)),
        actions);
    }

    const result = task.result;
    const checkpoint = task.checkpoint;
    const attempts = task.attempts || [];
    // The open question has its own box above; this lists the answered ones (and any left unanswered).
    const asked = (task.questions || []).filter((q) => !(task.question && q.attempt === task.question.attempt));
    fill(summary, 
      section('Task',
        task.waitingReason ? el('p', { class: 'note' }, 'Waiting: ', task.waitingReason) : null,
        task.statusReason ? el('p', { class: 'note' }, task.statusReason) : null,
        fields([
          ['Id', el('span', { class: 'mono' }, task.id)],
          ['Kind', task.kind],
          // An argv is shown one element per quoted word, so spaces inside an argument stay visible.
          ['Command', task.command ? el('span', { class: 'mono' }, task.shell ? task.command.join(' ')
            : task.command.map((arg) => /^[\w.\/:=@%+-]+$/.test(arg) ? arg : "'" + arg.replace(/'/g, "'\\''") + "'").join(' ')) : null],
          ['Agent role', task.agent],
          ['Pool', task.pool],
          ['Priority', task.priorityClass + ' (' + task.priority + (task.effectivePriority !== task.priority
            ? ', aged to ' + task.effectivePriority : '') + ')'],
          ['Model', task.model],
          ['Working dir', task.workingDir ? el('span', { class: 'mono' }, task.workingDir) : null],
          ['Repository', task.repo ? el('span', { class: 'mono' }, task.repo.url + (task.repo.ref ? ' @ ' + task.repo.ref : '')) : null],
          ['Max turns', task.maxTurns],
          ['Budget', task.maxBudgetUsd !== null && task.maxBudgetUsd !== undefined ? '$' + task.maxBudgetUsd : null],
          ['Permission mode', task.permissionMode],
          ['Allowed tools', (task.allowedTools || []).join(', ')],
          ['Disallowed tools', (task.disallowedTools || []).join(', ')],
          ['Appended system prompt', task.appendSystemPrompt],
          ['Metadata', Object.entries(task.metadata || {}).map(([k, v]) => el('div', { class: 'mono small' }, k + ' = ' + v))],
          ['Timeout', task.timeoutSeconds + ' s'],
          ['Attempts', attemptsLabel(task)],
          ['Workflow', task.workflowId ? el('a', { href: '#/workflows/' + encodeURIComponent(task.workflowId) },
            task.workflowRef || shortId(task.workflowId)) : null],
          ['Depends on', (task.dependsOn || []).map((d) => [taskLink(d), ' '])],
          ['Continues from', task.continueFrom ? taskLink(task.continueFrom) : null],
          ['Retry of', task.retryOf ? taskLink(task.retryOf) : null],
          ['Resumes', task.parentTaskId ? taskLink(task.parentTaskId) : null],
          ['Submitted by', task.submittedBy ? task.submittedBy.name : null],
          ['Submitted by Claude session', task.submittedBySession],
          ['Concurrency key', task.concurrencyKey],
          ['Failure cause', task.failureCause],
          ['Retry not before', task.runAfter ? when(task.runAfter) : null],
          ['Created', when(task.createdAt)],
          ['Started', task.startedAt ? when(task.startedAt) : null],
          ['Finished', task.finishedAt ? when(task.finishedAt) : null],
        ])),
      section('Prompt', el('pre', { class: 'prompt' }, task.prompt)),
      el('div', { class: 'stack' }, section('Result and cost', result ? fields([
        ['Outcome', result.subtype + (result.isError ? ' (error)' : '')],
        ['Cost', result.totalCostUsd !== null && result.totalCostUsd !== undefined
          ? '$' + Number(result.totalCostUsd).toFixed(4) : null],
        ['Turns', result.numTurns],
        ['Tokens', result.usage ? (result.usage.input_tokens || 0) + ' in, ' + (result.usage.output_tokens || 0) + ' out' : null],
        ['Exit code', result.exitCode],
        ['Text', result.text ? el('pre', { class: 'result-text' }, result.text) : null],
      ]) : el('p', { class: 'muted' }, 'No result yet.')),
      section('Checkpoint', checkpoint ? fields([
        ['Directory', checkpoint.workingDir ? el('span', { class: 'mono' }, checkpoint.workingDir) : null],
        ['Branch', checkpoint.gitBranch],
        ['Commit', checkpoint.gitCommit ? el('span', { class: 'mono' }, checkpoint.gitCommit) : null],
        ['Dirty files', checkpoint.dirtyFiles && checkpoint.dirtyFiles.length
          ? el('ul', { class: 'plain mono' }, checkpoint.dirtyFiles.map((f) => el('li', {}, f)),
            checkpoint.dirtyFilesTruncated ? el('li', { class: 'muted' }, '… more') : null) : null],
      ]) : el('p', { class: 'muted' }, 'No checkpoint (written when a session ends in a git work tree).'))),
      asked.length ? el('section', { class: 'card wide', id: 'questions' }, el('h2', {}, 'Questions'),
        el('ol', { class: 'plain questions' }, asked.map((q) => el('li', { 'data-attempt': q.attempt },
          el('div', { class: 'muted small' }, 'attempt ' + q.attempt + ' · asked ', when(q.askedAt)),
          el('pre', { class: 'question-text' }, q.question),
          q.answer !== null && q.answer !== undefined
            ? [el('div', { class: 'muted small' }, 'answered ', when(q.answeredAt)), el('pre', { class: 'answer-text' }, q.answer)]
            : el('div', { class: 'muted small' }, 'not answered'))))) : null,
      el('section', { class: 'card wide' }, el('h2', {}, 'Attempts'), attempts.length
        ? table(['#', 'Status', 'Worker', 'Host', 'Started', 'Finished', 'Reason', 'Exit'], attempts.map((a) => el('tr', {},
          el('td', {}, a.attempt), el('td', {}, badge(a.status)), el('td', { class: 'mono' }, a.workerId || '—'),
          el('td', {}, a.host || '—'), el('td', {}, when(a.startedAt)), el('td', {}, when(a.finishedAt)),
          el('td', {}, [a.failureCause, a.reason].filter(Boolean).join(': ') || '—'),
          el('td', {}, a.exitCode === null || a.exitCode === undefined ? '—' : a.exitCode))), { id: 'attempts' })
        : el('p', { class: 'muted' }, 'Not dispatched yet.')));
  }

  /**
   * The question a WAITING_FOR_INPUT task's session asked, with a box to answer it. Rebuilt only when the question changes,
   * so a refresh never wipes an answer being typed.
   */
  function renderQuestion(task, box, refresh) {
    const question = task.question;
    const key = question ? question.attempt + '@' + question.askedAt : '';
    if (box.dataset.key === key) {
      return;
    }
    box.dataset.key = key;
    if (!question) {
      fill(box);
      return;
    }
    const answer = el('textarea', { id: 'answer-text', name: 'answer', rows: 4, required: true, maxlength: MAX_ANSWER_CHARS,
      placeholder: 'Your answer; the session resumes with it.' });
    const error = el('p', { class: 'error', role: 'alert' });
    const send = el('button', { id: 'answer-submit', type: 'submit' }, 'Send answer');
    const form = el('form', { id: 'answer-form', class: 'answer-form' }, answer, el('div', {}, send, error));
    form.addEventListener('submit', async (event) => {
      event.preventDefault();
      error.textContent = '';
      send.disabled = true;
      try {
        await api('POST', '/api/v1/tasks/' + encodeURIComponent(task.id) + '/answer', { answer: answer.value });
        flash('Answer sent: the task is queued to resume its session.');
        delete box.dataset.key;
        await refresh();
      } catch (e) {
        if (!(e instanceof SignedOut)) {
          error.textContent = e.message;
        }
      } finally {
        send.disabled = false;
      }
    });
    fill(box, el('section', { class: 'card question' },
      el('h2', {}, 'The session asks'),
      el('p', { class: 'muted small' }, 'attempt ' + question.attempt + ' · asked ', when(question.askedAt)),
      el('pre', { id: 'question-text', class: 'question-text' }, question.text),
      form));
  }

  /**
   * Follows GET /logs/stream with fetch() and a streaming reader: EventSource cannot send the Authorization header, and a
   * token in the URL would end up in logs and history. Reconnects after ?after=<last line id> until the 'end' event.
   */
  async function followLog(id, ctx, on) {
    let after = 0;
    let ended = false;
    while (ctx.alive() && !ended) {
      try {
        const response = await fetch('/api/v1/tasks/' + encodeURIComponent(id) + '/logs/stream?after=' + after,
          { headers: authHeaders({ Accept: 'text/event-stream' }), signal: ctx.signal, cache: 'no-store' });
        if (response.status === 401) {
          signOut('The API did not accept the token: sign in again.');
          return;
        }
        if (response.status >= 400 && response.status < 500) {
          // No such task, or a bad id: asking again will not help.
          on.state('unavailable (HTTP ' + response.status + ')');
          return;
        }
        if (!response.ok) {
          throw new Error('log stream: HTTP ' + response.status);
        }
        on.state('live');
        const reader = response.body.getReader();
        const decoder = new TextDecoder();
        let buffer = '';
        for (;;) {
          const { value, done } = await reader.read();
          if (done) {
            break;
          }
          buffer = (buffer + decoder.decode(value, { stream: true })).replace(/\r\n?/g, '\n');
          let boundary;
          while ((boundary = buffer.indexOf('\n\n')) >= 0) {
            const event = parseEvent(buffer.slice(0, boundary));
            buffer = buffer.slice(boundary + 2);
            if (!event || !event.data) {
              continue;
            }
            const data = JSON.parse(event.data);
            if (event.event === 'log') {
              after = data.id;
              on.line(data);
            } else if (event.event === 'status') {
              on.status(data);
            } else if (event.event === 'end') {
              ended = true;
              on.state('ended · ' + data.status);
              on.status(data);
            }
          }
        }
      } catch (error) {
        if (!ctx.alive()) {
          return;
        }
      }
      if (!ended && ctx.alive()) {
        on.state('reconnecting');
        await ctx.sleep(STREAM_RETRY_MS);
      }
    }
  }

  /** One Server-Sent Event block: its event name, id and data lines; comment lines (keep-alives) are skipped. */
  function parseEvent(block) {
    const event = { event: 'message', data: '' };
    const data = [];
    for (const line of block.split('\n')) {
      if (!line || line.startsWith(':')) {
        continue;
      }
      const colon = line.indexOf(':');
      const name = colon < 0 ? line : line.slice(0, colon);
      const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
      if (name === 'data') {
        data.push(value);
      } else if (name === 'event' || name === 'id') {
        event[name] = value;
      }
    }
    event.data = data.join('\n');
    return data.length ? event : null;
  }

  // ---------- Workflows ----------

  function workflowListView(ctx) {
    const body = el('tbody', {});
    view.append(el('h1', {}, 'Workflows'),
      el('div', { class: 'table-wrap' }, el('table', {},
        el('thead', {}, el('tr', {}, ['Status', 'Workflow', 'Unfinished', 'Created', 'Finished'].map((h) => el('th', {}, h)))),
        body)));
    ctx.every(LIST_POLL_MS, async () => {
      const page = await api('GET', '/api/v1/workflows?limit=100', undefined, ctx.signal);
      fill(body, ...page.items.map((w) => el('tr', {},
        el('td', {}, badge(w.status)),
        el('td', {}, el('a', { href: '#/workflows/' + encodeURIComponent(w.id) }, w.name || shortId(w.id))),
        el('td', {}, w.unfinishedTasks),
        el('td', {}, when(w.createdAt)),
        el('td', {}, when(w.finishedAt)))));
      if (!page.items.length) {
        body.append(el('tr', {}, el('td', { colspan: 5, class: 'muted' }, 'No workflows yet.')));
      }
    });
  }

  function workflowView(id, ctx) {
    const header = el('div', { class: 'title-row' });
    const graph = el('div', { id: 'workflow-graph', class: 'graph card' });
    const nodes = el('div', { class: 'card' });
    view.append(el('nav', { class: 'crumbs' }, el('a', { href: '#/workflows' }, 'Workflows'), ' / ',
      el('span', { class: 'mono' }, id)), header, graph, nodes);
    let finished = false;
    ctx.every(LIST_POLL_MS, async () => {
      if (finished) {
        return;
      }
      const workflow = await api('GET', '/api/v1/workflows/' + encodeURIComponent(id), undefined, ctx.signal);
      finished = workflow.status !== 'RUNNING';
      if (!confirming(header)) {
        fill(header,
          el('h1', {}, badge(workflow.status), ' ', workflow.name || 'Workflow ' + shortId(workflow.id)),
          el('span', { class: 'muted' }, workflow.unfinishedTasks + ' unfinished · created ', when(workflow.createdAt)),
          workflow.status === 'RUNNING' ? el('div', { class: 'actions' }, confirmButton('Cancel',
            'Cancel every unfinished task of this workflow?', async () => {
              try {
                await api('POST', '/api/v1/workflows/' + encodeURIComponent(id) + '/cancel');
                finished = false;
                flash('Workflow cancelled.');
              } catch (e) {
                report(e);
              }
            }, { 'data-action': 'cancel-workflow' })) : null);
      }
      fill(graph, workflow.tasks.length <= MAX_GRAPH_NODES ? drawGraph(workflow)
        : el('p', { class: 'muted' }, 'The graph is drawn for up to ' + MAX_GRAPH_NODES + ' tasks; this workflow has '
          + workflow.tasks.length + '. The table lists them.'));
      fill(nodes, el('h2', {}, 'Tasks'), table(['Ref', 'Status', 'Depends on', 'On failure', 'Reason'],
        workflow.tasks.slice(0, 2000).map((n) => el('tr', {},
          el('td', {}, el('a', { href: taskHref(n.id) }, n.ref || shortId(n.id))),
          el('td', {}, badge(n.status)),
          el('td', {}, n.dependsOn.join(', ') || '—'),
          el('td', {}, n.onDependencyFailure),
          el('td', { class: 'small' }, n.statusReason || '')))));
    });
  }

  /**
   * The DAG in layers by topological depth, top to bottom; each node links to its task. An edge that skips layers
   * passes through a narrow waypoint in each layer between, so it runs beside those layers' nodes, not across them.
   */
  function drawGraph(workflow) {
    const W = 168;
    const H = 46;
    const WAYPOINT = 16;
    const GAP_X = 24;
    const GAP_Y = 56;
    const byName = new Map();
    const item = (name, task) => ({ name, task, width: W, parents: [], children: [] });
    for (const node of workflow.tasks) {
      byName.set(node.ref || node.id, item(node.ref || node.id, node));
    }
    // An edge may start at a task outside the workflow (named by id): drawn as a dashed node.
    const edges = [];
    for (const edge of workflow.edges) {
      if (!byName.has(edge.from)) {
        byName.set(edge.from, item(edge.from, null));
      }
      const from = byName.get(edge.from);
      const to = byName.get(edge.to);
      if (to) {
        from.children.push(to);
        to.parents.push(from);
        edges.push([from, to]);
      }
    }
    const nodes = [...byName.values()];
    // Kahn's order gives each node 1 + the deepest parent's depth.
    const pending = new Map(nodes.map((n) => [n, n.parents.length]));
    const ready = nodes.filter((n) => n.parents.length === 0);
    nodes.forEach((n) => { n.depth = 0; });
    while (ready.length) {
      const node = ready.shift();
      for (const child of node.children) {
        child.depth = Math.max(child.depth, node.depth + 1);
        pending.set(child, pending.get(child) - 1);
        if (pending.get(child) === 0) {
          ready.push(child);
        }
      }
    }
    const layers = [];
    const place = (n) => (layers[n.depth] = layers[n.depth] || []).push(n);
    nodes.forEach(place);
    // Each edge as the chain of items it passes: its ends and a waypoint per layer skipped.
    const chains = edges.map(([from, to]) => {
      const chain = [from];
      for (let depth = from.depth + 1; depth < to.depth; depth++) {
        const waypoint = { width: WAYPOINT, depth, parents: [chain[chain.length - 1]], waypoint: true };
        place(waypoint);
        chain.push(waypoint);
      }
      chain.push(to);
      return chain;
    });
    // A long edge's target is ordered by the edge's last waypoint, the item it is drawn from.
    chains.filter((chain) => chain.length > 2).forEach((chain) => {
      const to = chain[chain.length - 1];
      to.parents = to.parents.map((p) => (p === chain[0] ? chain[chain.length - 2] : p));
    });
    // Order each layer by its parents' mean position, which keeps most edges from crossing.
    layers.forEach((layer, depth) => {
      if (depth > 0) {
        const mean = (n) => n.parents.reduce((sum, p) => sum + p.center, 0) / Math.max(1, n.parents.length);
        layer.forEach((n) => { n.key = mean(n); });
        layer.sort((a, b) => a.key - b.key);
      }
      let x = 0;
      layer.forEach((n) => {
        n.x = x;
        n.center = x + n.width / 2;
        x += n.width + GAP_X;
      });
      layer.span = x - GAP_X;
    });
    const width = Math.max(...layers.map((l) => l.span)) + 2 * GAP_X;
    const height = layers.length * (H + GAP_Y) + GAP_Y / 2;
    layers.forEach((layer) => {
      const shift = (width - layer.span) / 2;
      layer.forEach((n) => {
        n.x += shift;
        n.center += shift;
        n.y = GAP_Y / 2 + n.depth * (H + GAP_Y);
      });
    });

    const root = svg('svg', { viewBox: '0 0 ' + width + ' ' + height, width, height, role: 'img',
      'aria-label': 'Workflow graph', class: 'dag' },
    svg('defs', {}, svg('marker', { id: 'arrow', viewBox: '0 0 10 10', refX: 9, refY: 5, markerWidth: 7, markerHeight: 7,
      orient: 'auto-start-reverse' }, svg('path', { d: 'M 0 0 L 10 5 L 0 10 z', class: 'arrowhead' }))));
    for (const chain of chains) {
      // Down from the bottom of each item to the top of the next; straight through a waypoint's layer.
      let d = `M ${chain[0].center} ${chain[0].y + H}`;
      for (let i = 1; i < chain.length; i++) {
        const x1 = chain[i - 1].center;
        const y1 = chain[i - 1].y + H;
        const x2 = chain[i].center;
        const y2 = chain[i].waypoint ? chain[i].y : chain[i].y - 2;
        const mid = (y1 + y2) / 2;
        d += ` C ${x1} ${mid}, ${x2} ${mid}, ${x2} ${y2}`;
        if (chain[i].waypoint) {
          d += ` L ${x2} ${chain[i].y + H}`;
        }
      }
      root.append(svg('path', { class: 'edge', d, 'marker-end': 'url(#arrow)' }));
    }
    for (const node of nodes) {
      const status = node.task ? node.task.status : 'EXTERNAL';
      const label = node.name.length > 22 ? node.name.slice(0, 21) + '…' : node.name;
      const group = svg('g', { class: 'node s-' + status.toLowerCase(), 'data-ref': node.name, 'data-status': status },
        svg('title', {}, node.name + ' — ' + status + (node.task && node.task.statusReason ? ': ' + node.task.statusReason : '')),
        svg('rect', { x: node.x, y: node.y, width: W, height: H, rx: 8 }),
        svg('text', { x: node.center, y: node.y + 19, class: 'label' }, label),
        svg('text', { x: node.center, y: node.y + 36, class: 'state' }, node.task ? status : 'outside the workflow'));
      root.append(node.task ? svg('a', { href: taskHref(node.task.id) }, group) : group);
    }
    return el('div', { class: 'graph-scroll' }, root);
  }

  // ---------- Schedules ----------

  function scheduleListView(ctx) {
    const body = el('tbody', {});
    view.append(el('h1', {}, 'Schedules'),
      el('div', { class: 'table-wrap' }, el('table', { id: 'schedules' },
        el('thead', {}, el('tr', {}, ['Status', 'Schedule', 'When', 'Next fire times', 'Runs', 'Last task', '']
          .map((h) => el('th', {}, h)))),
        body)));
    const load = async () => {
      const list = await api('GET', '/api/v1/schedules?limit=200', undefined, ctx.signal);
      if (confirming(body)) {
        return;
      }
      fill(body, ...list.schedules.map((s) => scheduleRow(s, load)));
      if (!list.schedules.length) {
        body.append(el('tr', {}, el('td', { colspan: 7, class: 'muted' }, 'No schedules yet.')));
      }
    };
    ctx.every(DETAIL_POLL_MS, load);
  }

  function scheduleRow(s, reload) {
    const path = '/api/v1/schedules/' + encodeURIComponent(s.id);
    const act = (verb) => async () => {
      try {
        await api('POST', path + '/' + verb);
        await reload();
      } catch (e) {
        report(e);
      }
    };
    const finished = s.status === 'COMPLETED' || s.status === 'CANCELLED';
    return el('tr', { 'data-schedule-id': s.id },
      el('td', {}, badge(s.status)),
      el('td', {}, el('div', {}, s.name || shortId(s.id)),
        el('div', { class: 'muted small' }, s.task && s.task.prompt ? s.task.prompt.slice(0, 120) : '')),
      el('td', {}, s.cron ? [el('code', {}, s.cron), el('div', { class: 'muted small' }, s.timezone)] : when(s.runAt)),
      el('td', {}, s.nextFireTimes && s.nextFireTimes.length
        ? el('ul', { class: 'plain' }, s.nextFireTimes.map((t) => el('li', {}, when(t), ' ',
          el('span', { class: 'muted small' }, new Date(t).toLocaleString()))))
        : el('span', { class: 'muted' }, '—')),
      el('td', {}, s.runsFired + (s.maxRuns ? ' / ' + s.maxRuns : '')),
      el('td', {}, s.lastTaskId ? taskLink(s.lastTaskId) : '—'),
      el('td', { class: 'actions' },
        s.status === 'ACTIVE' ? actionButton('Pause', act('pause'), { 'data-action': 'pause' }) : null,
        s.status === 'PAUSED' ? actionButton('Resume', act('resume'), { 'data-action': 'resume' }) : null,
        finished ? null : confirmButton('Cancel', 'Cancel this schedule for good?', act('cancel'), { 'data-action': 'cancel' })));
  }

  // ---------- Workers ----------

  function workersView(ctx) {
    const pools = el('tbody', {});
    const workers = el('tbody', {});
    const updated = el('span', { class: 'muted small' });
    view.append(
      el('div', { class: 'title-row' }, el('h1', {}, 'Workers'), updated),
      el('section', { class: 'card' }, el('h2', {}, 'Pools'),
        el('p', { class: 'muted small' }, 'Slots and busy slots of alive workers; a worker serving several pools counts toward each.'),
        el('div', { class: 'table-wrap' }, el('table', { id: 'pools' },
          el('thead', {}, el('tr', {}, ['Pool', 'Workers', 'Busy / slots', '', 'Queued'].map((h) => el('th', {}, h)))), pools))),
      el('section', { class: 'card' }, el('h2', {}, 'Workers'),
        el('div', { class: 'table-wrap' }, el('table', { id: 'workers' },
          el('thead', {}, el('tr', {}, ['', 'Worker', 'Host', 'Pools', 'Busy / slots', 'Resources', 'Last heartbeat']
            .map((h) => el('th', {}, h)))), workers))));
    // The host readings of the worker's resource gate: memory free, CPU busy, and whether it takes more work.
    const resources = (r) => {
      if (!r) {
        return '—';
      }
      const parts = [];
      if (r.memoryAvailableBytes != null) {
        parts.push((r.memoryAvailableBytes / 1073741824).toFixed(1) + ' GiB free');
      }
      if (r.cpuBusy != null) {
        parts.push(Math.round(r.cpuBusy * 100) + '% CPU');
      }
      if (r.gateOpen === false) {
        parts.push('gate closed');
      }
      return parts.join(' · ') || '—';
    };
    const usage = (busy, slots) => el('meter', { min: 0, max: Math.max(slots, 1), value: busy, low: slots * 0.8,
      high: slots, optimum: 0, title: busy + ' of ' + slots + ' busy' });
    ctx.every(LIST_POLL_MS, async () => {
      const fleet = await api('GET', '/api/v1/workers', undefined, ctx.signal);
      fill(pools, ...fleet.pools.map((p) => el('tr', { 'data-pool': p.pool },
        el('td', {}, p.pool), el('td', {}, p.workers), el('td', {}, p.busySlots + ' / ' + p.slots),
        el('td', {}, usage(p.busySlots, p.slots)),
        el('td', {}, p.queued ? el('a', { href: '#/tasks?status=QUEUED&pool=' + encodeURIComponent(p.pool) }, p.queued) : 0))));
      if (!fleet.pools.length) {
        pools.append(el('tr', {}, el('td', { colspan: 5, class: 'muted' }, 'No pools yet.')));
      }
      fill(workers, ...fleet.workers.map((w) => el('tr', { 'data-worker-id': w.workerId, class: w.alive ? '' : 'dead' },
        el('td', {}, el('span', { class: 'dot ' + (w.alive ? 'alive' : 'gone'), title: w.alive ? 'alive' : 'not seen recently' },
          w.alive ? 'alive' : 'gone')),
        el('td', { class: 'mono' }, w.workerId),
        el('td', {}, w.host || '—'),
        el('td', {}, w.pools.join(', ')),
        el('td', {}, w.busySlots + ' / ' + w.slots, ' ', usage(w.busySlots, w.slots)),
        el('td', { class: 'small' }, resources(w.resources)),
        el('td', {}, when(w.lastSeenAt)))));
      if (!fleet.workers.length) {
        workers.append(el('tr', {}, el('td', { colspan: 7, class: 'muted' }, 'No worker has sent a heartbeat yet.')));
      }
      updated.textContent = 'live · updated ' + new Date().toLocaleTimeString();
    });
  }

  route();
})();
