/*
 * The local incident channel: fetches what the current responder can see from the stand-in, renders
 * it, and turns clicks, slash commands and modal submissions into the stand-in's /local/* calls,
 * which deliver them to the app exactly as Slack would. Live via Server-Sent Events.
 */
(() => {
  // biome-ignore lint/suspicious/noRedundantUseStrict: a classic script (index.html loads it without type="module"), so this directive is what makes it strict; Biome takes every .js file for a module.
  'use strict';
  const { renderBlocks, collectInputs, textHtml } = window.AwsIrBlocks;
  const { mrkdwn, plain, esc } = window.AwsIrMrkdwn;
  window.AWSIR_LOCAL = { users: [] };

  const $ = (id) => document.getElementById(id);
  const params = new URLSearchParams(location.search);
  let me = params.get('as') || localStorage.getItem('aws-ir-local-as') || 'U0ALICE';
  let last = null;
  let modalKey = '';
  const collapsed = new Set();
  let loading = false;
  let again = false;

  async function post(path, body) {
    const res = await fetch(path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(Object.assign({ user: me }, body)) });
    let json = {};
    try {
      json = await res.json();
    } catch (_) {
      json = { ok: false, error: `http_${res.status}` };
    }
    if (!json.ok) toast(json.message || json.error || 'Something went wrong.');
    return json;
  }

  let toastTimer;
  function toast(text) {
    const t = $('toast');
    t.textContent = text;
    t.classList.remove('hidden');
    clearTimeout(toastTimer);
    toastTimer = setTimeout(() => t.classList.add('hidden'), 5000);
  }

  function timeOf(ts) {
    const d = new Date(Number(ts) * 1000);
    return d.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
  }

  function initials(name) {
    return (name || '?')
      .split(/\s+/)
      .map((p) => p[0])
      .join('')
      .slice(0, 2)
      .toUpperCase();
  }

  function confirmDialog(c, style) {
    return new Promise((resolve) => {
      const box = $('confirm');
      box.innerHTML = '';
      const head = document.createElement('div');
      head.className = 'modal-title';
      head.innerHTML = textHtml(c.title);
      const body = document.createElement('div');
      body.className = 'modal-body';
      body.innerHTML = textHtml(c.text);
      const foot = document.createElement('div');
      foot.className = 'modal-foot';
      const deny = document.createElement('button');
      deny.type = 'button';
      deny.className = 'bk-button';
      deny.innerHTML = plain(c.deny?.text || 'Cancel');
      const ok = document.createElement('button');
      ok.type = 'button';
      ok.className = `bk-button ${c.style === 'danger' || style === 'danger' ? 'bk-danger' : 'bk-primary'}`;
      ok.innerHTML = plain(c.confirm?.text || 'OK');
      ok.dataset.role = 'confirm';
      foot.append(deny, ok);
      box.append(head, body, foot);
      $('confirm-backdrop').classList.remove('hidden');
      const done = (v) => {
        $('confirm-backdrop').classList.add('hidden');
        resolve(v);
      };
      deny.onclick = () => done(false);
      ok.onclick = () => done(true);
    });
  }

  function messageCtx(m) {
    return {
      surface: 'message',
      confirm: confirmDialog,
      onAction: (block, element, extra) =>
        post('/local/action', { messageTs: m.ts, blockId: block.block_id, actionId: element.action_id, selectedValue: extra.selectedValue }),
    };
  }

  function renderMessage(m) {
    const row = document.createElement('article');
    row.className = `msg${m.ephemeral ? ' ephemeral' : ''}${m.is_reply ? ' reply' : ''}`;
    row.id = `m-${m.ts.replace('.', '-')}`;
    row.dataset.ts = m.ts;
    const avatar = document.createElement('div');
    avatar.className = `avatar${m.isBot ? ' bot' : ''}`;
    avatar.textContent = m.isBot ? (m.authorName === 'Slackbot' ? 'SB' : 'IR') : initials(m.authorName);
    const main = document.createElement('div');
    main.className = 'msg-main';
    const meta = document.createElement('div');
    meta.className = 'msg-meta';
    meta.innerHTML =
      `<span class="author">${esc(m.authorName)}</span>` +
      (m.isBot ? '<span class="app-badge">APP</span>' : '') +
      `<span class="time">${esc(timeOf(m.ts))}</span>` +
      (m.edited ? '<span class="edited">(edited)</span>' : '');
    main.appendChild(meta);
    if (m.blocks?.length) main.appendChild(renderBlocks(m.blocks, messageCtx(m)));
    else if (m.text) {
      const t = document.createElement('div');
      t.className = 'bk-text';
      t.innerHTML = mrkdwn(m.text);
      main.appendChild(t);
    }
    for (const a of m.attachments || []) {
      const att = document.createElement('div');
      att.className = 'attachment';
      if (a.color) att.style.borderLeftColor = /^#?[0-9a-f]{3,6}$/i.test(a.color) ? (a.color[0] === '#' ? a.color : `#${a.color}`) : '';
      if (a.blocks) att.appendChild(renderBlocks(a.blocks, messageCtx(m)));
      else att.innerHTML = mrkdwn(a.text || a.fallback || '');
      main.appendChild(att);
    }
    for (const f of m.files || []) {
      const link = document.createElement('a');
      link.className = 'file';
      link.href = `/local/files/${encodeURIComponent(f.id)}`;
      link.textContent = `📎 ${f.title || f.name} (${f.size} bytes)`;
      main.appendChild(link);
    }
    if (m.ephemeral) {
      const note = document.createElement('div');
      note.className = 'ephemeral-note';
      note.textContent = '👁 Only visible to you';
      main.appendChild(note);
    }
    row.append(avatar, main);
    return row;
  }

  // Rendered message nodes by content: an update re-renders only what changed, so a button someone
  // is about to click is not replaced under their pointer by an unrelated progress update.
  let nodeCache = new Map();

  function messageNode(m, next) {
    const key = JSON.stringify([me, m.ts, m.text, m.blocks, m.attachments, m.files, m.edited, m.ephemeral]);
    const node = nodeCache.get(key) || renderMessage(m);
    next.set(key, node);
    return node;
  }

  function renderMessages(state) {
    const box = $('messages');
    const atBottom = box.scrollHeight - box.scrollTop - box.clientHeight < 80;
    const top = state.messages.filter((m) => !m.is_reply);
    const byThread = new Map();
    for (const m of state.messages) if (m.is_reply) byThread.set(m.thread_ts, (byThread.get(m.thread_ts) || []).concat(m));
    const next = new Map();
    const children = [];
    if (!top.length) {
      const empty = document.createElement('div');
      empty.className = 'empty';
      empty.innerHTML = 'This is the start of <b>#incident</b>. Type <code>/aws-ir scan</code> below to scan the sandbox account.';
      children.push(empty);
    }
    for (const m of top) {
      children.push(messageNode(m, next));
      const replies = byThread.get(m.ts) || [];
      if (!replies.length) continue;
      const thread = document.createElement('div');
      thread.className = 'thread';
      thread.dataset.threadTs = m.ts;
      const toggle = document.createElement('button');
      toggle.type = 'button';
      toggle.className = 'thread-toggle';
      const isCollapsed = collapsed.has(m.ts);
      toggle.textContent = `${replies.length} ${replies.length === 1 ? 'reply' : 'replies'} ${isCollapsed ? '▸ show' : '▾ hide'}`;
      toggle.onclick = () => {
        if (collapsed.has(m.ts)) collapsed.delete(m.ts);
        else collapsed.add(m.ts);
        renderMessages(last);
      };
      thread.appendChild(toggle);
      if (!isCollapsed) for (const r of replies) thread.appendChild(messageNode(r, next));
      children.push(thread);
    }
    box.replaceChildren(...children);
    nodeCache = next;
    if (atBottom || !box.dataset.scrolled) {
      box.scrollTop = box.scrollHeight;
      box.dataset.scrolled = '1';
    }
  }

  function renderModal(state) {
    const backdrop = $('modal-backdrop');
    const modal = state.modal;
    if (!modal) {
      backdrop.classList.add('hidden');
      modalKey = '';
      return;
    }
    const key = JSON.stringify([modal.id, modal.spec, modal.errors]);
    if (key === modalKey) return;
    const box = $('modal');
    // Keep what the person typed when the same modal is re-rendered (errors, updates).
    const typed = modalKey && box.dataset.viewId === modal.id ? collectInputs(box) : null;
    modalKey = key;
    box.innerHTML = '';
    box.dataset.viewId = modal.id;
    const spec = modal.spec;
    const head = document.createElement('div');
    head.className = 'modal-title';
    head.innerHTML = textHtml(spec.title);
    const form = document.createElement('form');
    form.className = 'modal-body';
    form.appendChild(
      renderBlocks(spec.blocks, {
        surface: 'modal',
        errors: modal.errors,
        confirm: confirmDialog,
        onAction: (block, element, extra) =>
          post('/local/action', {
            viewId: modal.id,
            blockId: block.block_id,
            actionId: element.action_id,
            selectedValue: extra.selectedValue,
            values: collectInputs(box),
          }),
      }),
    );
    if (typed) {
      for (const f of form.querySelectorAll('.bk-field')) {
        const v = typed[f.dataset.blockId] && typed[f.dataset.blockId][f.dataset.actionId];
        if (typeof v === 'string' && (f.dataset.kind === 'text' || f.dataset.kind === 'select')) f.value = v;
      }
    }
    const foot = document.createElement('div');
    foot.className = 'modal-foot';
    const close = document.createElement('button');
    close.type = 'button';
    close.className = 'bk-button';
    close.innerHTML = plain(spec.close?.text || 'Cancel');
    close.onclick = () => post('/local/view/close', { viewId: modal.id });
    foot.appendChild(close);
    if (spec.submit) {
      const submit = document.createElement('button');
      submit.type = 'submit';
      submit.className = 'bk-button bk-primary';
      submit.innerHTML = plain(spec.submit.text);
      submit.dataset.role = 'submit';
      foot.appendChild(submit);
      form.onsubmit = async (e) => {
        e.preventDefault();
        submit.disabled = true;
        try {
          await post('/local/view/submit', { viewId: modal.id, values: collectInputs(box) });
        } finally {
          submit.disabled = false;
        }
      };
      foot.querySelector('[data-role=submit]').onclick = (e) => {
        e.preventDefault();
        form.requestSubmit();
      };
    }
    box.append(head, form, foot);
    backdrop.classList.remove('hidden');
    const first = box.querySelector('input, textarea, select');
    if (first) first.focus();
  }

  function renderChrome(state) {
    window.AWSIR_LOCAL.users = state.users;
    const sel = $('as-user');
    if (sel.options.length !== state.users.length) {
      sel.innerHTML = '';
      for (const u of state.users) {
        const o = document.createElement('option');
        o.value = u.id;
        o.textContent = `${u.realName} (${u.id})`;
        sel.appendChild(o);
      }
    }
    sel.value = me;
    const who = state.users.find((u) => u.id === me);
    $('viewer-label').textContent = who ? `viewing as ${who.realName} — ${who.title}` : '';
    const info = state.info || {};
    const bits = [];
    if (info.scenario) bits.push(`scenario “${info.scenario}”`);
    if (info.accountId) bits.push(`account ${info.accountId}`);
    $('banner-info').textContent = bits.length ? `Simulated AWS ${bits.join(', ')}. Nothing here reaches Slack or AWS.` : 'Nothing here reaches Slack or AWS.';
    $('workspace-name').textContent = state.team.name;
  }

  /** Never rejects: a failed fetch shows as the live indicator going off. */
  async function refresh() {
    if (loading) {
      again = true;
      return;
    }
    loading = true;
    try {
      const res = await fetch(`/local/state?user=${encodeURIComponent(me)}`);
      const state = await res.json();
      last = state;
      renderChrome(state);
      renderMessages(state);
      renderModal(state);
      document.body.dataset.version = String(state.version);
    } catch {
      $('live').classList.add('off');
    } finally {
      loading = false;
      if (again) {
        again = false;
        void refresh();
      }
    }
  }

  function connect() {
    const es = new EventSource('/local/events');
    es.addEventListener('change', () => {
      $('live').classList.remove('off');
      void refresh();
    });
    es.onerror = () => $('live').classList.add('off');
  }

  async function send(text) {
    const line = text.trim();
    if (!line) return;
    if (line.startsWith('/')) await post('/local/command', { text: line });
    else await post('/local/message', { text: line });
  }

  $('composer').addEventListener('submit', async (e) => {
    e.preventDefault();
    const input = $('composer-input');
    const text = input.value;
    input.value = '';
    input.disabled = true;
    try {
      await send(text);
    } finally {
      input.disabled = false;
      input.focus();
    }
  });
  for (const b of document.querySelectorAll('.try')) b.addEventListener('click', () => send(b.dataset.command));
  $('as-user').addEventListener('change', (e) => {
    me = e.target.value;
    localStorage.setItem('aws-ir-local-as', me);
    const url = new URL(location.href);
    url.searchParams.set('as', me);
    history.replaceState(null, '', url);
    modalKey = '';
    void refresh();
  });
  $('reset').addEventListener('click', async () => {
    const ok = await confirmDialog(
      {
        title: { type: 'plain_text', text: 'Reset the sandbox?' },
        text: { type: 'mrkdwn', text: 'The simulated AWS account goes back to its scenario and the channel is cleared.' },
        confirm: { type: 'plain_text', text: 'Reset' },
        deny: { type: 'plain_text', text: 'Cancel' },
      },
      'danger',
    );
    if (!ok) return;
    const res = await post('/local/reset', {});
    if (res.ok) toast('Sandbox reset to its scenario.');
  });

  void refresh();
  connect();
})();
