/*
 * Block Kit -> DOM, close enough to Slack to read and use: header, section (text, fields, accessory),
 * context, divider, actions (buttons with primary/danger styles and confirm dialogs, selects,
 * overflow), image, rich_text, markdown, and in modals the input block with its elements.
 *
 * ctx = { surface: 'message' | 'modal', onAction(block, element, extra) -> Promise, confirm(c) -> Promise<boolean> }
 */
(() => {
  // biome-ignore lint/suspicious/noRedundantUseStrict: a classic script (index.html loads it without type="module"), so this directive is what makes it strict; Biome takes every .js file for a module.
  'use strict';
  const { mrkdwn, plain } = window.AwsIrMrkdwn;

  function el(tag, cls, html) {
    const e = document.createElement(tag);
    if (cls) e.className = cls;
    if (html !== undefined) e.innerHTML = html;
    return e;
  }

  function textHtml(t) {
    if (!t) return '';
    if (typeof t === 'string') return mrkdwn(t);
    if (t.type === 'plain_text') return plain(t.text, t.emoji);
    return mrkdwn(t.text);
  }

  function blockIdOf(block, index) {
    return typeof block.block_id === 'string' ? block.block_id : String(index);
  }

  /**
   * Event handlers call this without awaiting it (`void`): they have nowhere to pass a failure, and a
   * rejection left unhandled is reported by the browser (and fails the e2e tests' page-error check).
   */
  async function fire(ctx, node, block, element, extra) {
    if (element.confirm) {
      const ok = await ctx.confirm(element.confirm, element.style);
      if (!ok) return;
    }
    node.disabled = true;
    node.classList.add('busy');
    try {
      await ctx.onAction(block, element, extra || {});
    } finally {
      node.disabled = false;
      node.classList.remove('busy');
    }
  }

  function button(element, block, ctx) {
    const b = el('button', `bk-button${element.style ? ` bk-${element.style}` : ''}`, plain(element.text?.text, element.text?.emoji));
    b.type = 'button';
    b.dataset.actionId = element.action_id || '';
    if (element.accessibility_label) b.setAttribute('aria-label', element.accessibility_label);
    b.addEventListener('click', () => {
      if (element.url) window.open(element.url, '_blank', 'noopener');
      void fire(ctx, b, block, element);
    });
    return b;
  }

  function select(element, block, ctx, options) {
    const s = el('select', 'bk-select');
    const ph = el('option', '', plain(element.placeholder?.text || 'Select an item'));
    ph.value = '';
    s.appendChild(ph);
    for (const o of options) {
      const opt = el('option', '', plain(o.text?.text));
      opt.value = o.value;
      s.appendChild(opt);
    }
    if (element.initial_option) s.value = element.initial_option.value;
    s.dataset.actionId = element.action_id || '';
    if (ctx.surface !== 'modal-input') {
      s.addEventListener('change', () => {
        if (s.value) void fire(ctx, s, block, element, { selectedValue: s.value });
      });
    }
    return s;
  }

  function overflow(element, block, ctx) {
    const wrap = el('div', 'bk-overflow');
    const b = el('button', 'bk-button bk-overflow-btn', '⋮');
    b.type = 'button';
    const menu = el('div', 'bk-overflow-menu');
    for (const o of element.options || []) {
      const item = el('button', 'bk-overflow-item', plain(o.text?.text));
      item.type = 'button';
      item.addEventListener('click', () => {
        menu.classList.remove('open');
        void fire(ctx, item, block, element, { selectedValue: o.value });
      });
      menu.appendChild(item);
    }
    b.addEventListener('click', () => menu.classList.toggle('open'));
    wrap.append(b, menu);
    return wrap;
  }

  function image(element) {
    const img = el('img', 'bk-image-el');
    img.alt = element.alt_text || '';
    if (element.image_url) img.src = element.image_url;
    return img;
  }

  /** An interactive element in a message, a section accessory, or an actions block. */
  function element(elem, block, ctx) {
    switch (elem.type) {
      case 'button':
        return button(elem, block, ctx);
      case 'static_select':
        return select(elem, block, ctx, elem.options || (elem.option_groups || []).flatMap((g) => g.options || []));
      case 'users_select':
        return select(elem, block, ctx, usersAsOptions());
      case 'overflow':
        return overflow(elem, block, ctx);
      case 'image':
        return image(elem);
      default:
        return el('span', 'bk-unsupported', `[${plain(elem.type)}]`);
    }
  }

  function usersAsOptions() {
    const users = window.AWSIR_LOCAL?.users || [];
    return users.map((u) => ({ text: { type: 'plain_text', text: `${u.realName} (${u.id})` }, value: u.id }));
  }

  function inputElement(elem, blockId) {
    const id = `in-${blockId}-${elem.action_id}`;
    let node;
    switch (elem.type) {
      case 'plain_text_input':
      case 'email_text_input':
      case 'url_text_input':
      case 'number_input': {
        node = elem.multiline ? el('textarea', 'bk-input') : el('input', 'bk-input');
        if (!elem.multiline)
          node.type = elem.type === 'number_input' ? 'number' : elem.type === 'email_text_input' ? 'email' : elem.type === 'url_text_input' ? 'url' : 'text';
        if (elem.placeholder) node.placeholder = elem.placeholder.text;
        if (elem.initial_value) node.value = elem.initial_value;
        if (elem.max_length) node.maxLength = elem.max_length;
        node.dataset.kind = 'text';
        break;
      }
      case 'static_select':
      case 'users_select': {
        node = select(
          elem,
          {},
          { surface: 'modal-input' },
          elem.type === 'users_select' ? usersAsOptions() : elem.options || (elem.option_groups || []).flatMap((g) => g.options || []),
        );
        if (elem.type === 'users_select' && elem.initial_user) node.value = elem.initial_user;
        node.dataset.kind = 'select';
        break;
      }
      case 'radio_buttons':
      case 'checkboxes': {
        node = el('div', 'bk-choices');
        const multi = elem.type === 'checkboxes';
        const initial = multi ? (elem.initial_options || []).map((o) => o.value) : elem.initial_option ? [elem.initial_option.value] : [];
        for (const o of elem.options || []) {
          const label = el('label', 'bk-choice');
          const input = el('input');
          input.type = multi ? 'checkbox' : 'radio';
          input.name = id;
          input.value = o.value;
          input.checked = initial.includes(o.value);
          label.append(input, el('span', '', textHtml(o.text)));
          if (o.description) label.append(el('span', 'bk-choice-desc', textHtml(o.description)));
          node.appendChild(label);
        }
        node.dataset.kind = multi ? 'multi' : 'radio';
        break;
      }
      default:
        node = el('div', 'bk-unsupported', `[${plain(elem.type)} input]`);
        node.dataset.kind = 'none';
    }
    node.id = id;
    node.dataset.blockId = blockId;
    node.dataset.actionId = elem.action_id || '';
    node.classList.add('bk-field');
    return node;
  }

  function richText(block) {
    const wrap = el('div', 'bk-rich');
    const inlineHtml = (elements) =>
      (elements || [])
        .map((e) => {
          if (e.type === 'text') {
            let h = plain(e.text);
            const s = e.style || {};
            if (s.code) h = `<code>${h}</code>`;
            if (s.bold) h = `<b>${h}</b>`;
            if (s.italic) h = `<i>${h}</i>`;
            if (s.strike) h = `<s>${h}</s>`;
            return h.replace(/\n/g, '<br>');
          }
          if (e.type === 'link') return mrkdwn(`<${e.url}|${e.text || e.url}>`);
          if (e.type === 'user') return mrkdwn(`<@${e.user_id}>`);
          if (e.type === 'channel') return mrkdwn(`<#${e.channel_id}>`);
          if (e.type === 'emoji') return mrkdwn(`:${e.name}:`);
          if (e.type === 'broadcast') return mrkdwn(`<!${e.range}>`);
          return '';
        })
        .join('');
    for (const part of block.elements || []) {
      if (part.type === 'rich_text_section') wrap.appendChild(el('div', '', inlineHtml(part.elements)));
      else if (part.type === 'rich_text_preformatted') wrap.appendChild(el('pre', '', inlineHtml(part.elements)));
      else if (part.type === 'rich_text_quote') wrap.appendChild(el('blockquote', '', inlineHtml(part.elements)));
      else if (part.type === 'rich_text_list') {
        const list = el(part.style === 'ordered' ? 'ol' : 'ul');
        for (const item of part.elements || []) list.appendChild(el('li', '', inlineHtml(item.elements)));
        wrap.appendChild(list);
      }
    }
    return wrap;
  }

  function block(b, index, ctx) {
    const blockId = blockIdOf(b, index);
    const bound = Object.assign({}, b, { block_id: blockId });
    switch (b.type) {
      case 'header':
        return el('div', 'bk-header', textHtml(b.text));
      case 'divider':
        return el('hr', 'bk-divider');
      case 'section': {
        const sec = el('div', 'bk-section');
        const body = el('div', 'bk-section-body');
        if (b.text) body.appendChild(el('div', 'bk-text', textHtml(b.text)));
        if (b.fields?.length) {
          const grid = el('div', 'bk-fields');
          for (const f of b.fields) grid.appendChild(el('div', 'bk-field-text', textHtml(f)));
          body.appendChild(grid);
        }
        sec.appendChild(body);
        if (b.accessory) {
          const acc = el('div', 'bk-accessory');
          acc.appendChild(element(b.accessory, bound, ctx));
          sec.appendChild(acc);
        }
        return sec;
      }
      case 'context': {
        const c = el('div', 'bk-context');
        for (const e of b.elements || []) c.appendChild(e.type === 'image' ? image(e) : el('span', 'bk-context-text', textHtml(e)));
        return c;
      }
      case 'actions': {
        const a = el('div', 'bk-actions');
        for (const e of b.elements || []) a.appendChild(element(e, bound, ctx));
        return a;
      }
      case 'image': {
        const fig = el('figure', 'bk-image');
        if (b.title) fig.appendChild(el('figcaption', '', textHtml(b.title)));
        fig.appendChild(image(b));
        return fig;
      }
      case 'input': {
        const box = el('div', 'bk-input-block');
        const label = el('label', 'bk-label', textHtml(b.label) + (b.optional ? ' <span class="bk-optional">(optional)</span>' : ''));
        const field = inputElement(b.element || {}, blockId);
        label.htmlFor = field.id;
        box.append(label, field);
        if (b.hint) box.appendChild(el('div', 'bk-hint', textHtml(b.hint)));
        const err = ctx.errors?.[blockId];
        if (err) {
          box.classList.add('has-error');
          box.appendChild(el('div', 'bk-error', plain(err)));
        }
        return box;
      }
      case 'rich_text':
        return richText(b);
      case 'markdown':
        return el('div', 'bk-text', mrkdwn(b.text || ''));
      default:
        return el('div', 'bk-unsupported', `[unsupported block: ${plain(b.type)}]`);
    }
  }

  function renderBlocks(blocks, ctx) {
    const wrap = el('div', 'bk-blocks');
    (blocks || []).forEach((b, i) => {
      const node = block(b, i, ctx);
      node.dataset.blockType = b.type;
      wrap.appendChild(node);
    });
    return wrap;
  }

  /** Reads a modal's inputs as { block_id: { action_id: value | [values] } } for view_submission. */
  function collectInputs(root) {
    const values = {};
    for (const f of root.querySelectorAll('.bk-field')) {
      const { blockId, actionId, kind } = f.dataset;
      if (!blockId) continue;
      let v = null;
      if (kind === 'text' || kind === 'select') v = f.value;
      else if (kind === 'radio') v = f.querySelector('input:checked')?.value || '';
      else if (kind === 'multi') v = Array.from(f.querySelectorAll('input:checked')).map((i) => i.value);
      values[blockId] = { [actionId]: v };
    }
    return values;
  }

  window.AwsIrBlocks = { renderBlocks, collectInputs, textHtml };
})();
