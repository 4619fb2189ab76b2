/*
 * Slack mrkdwn -> safe HTML. Everything that comes from a message is escaped first; only the tags
 * built here reach innerHTML. Covers what Slack renders in messages: *bold*, _italic_, ~strike~,
 * `code`, ```preformatted```, > quotes, <links|labels>, <@user>, <#channel>, <!here>, user groups,
 * <!date^…|fallback> and :emoji: names.
 */
(() => {
  // biome-ignore lint/suspicious/noRedundantUseStrict: a classic script (index.html loads it without type="module"), so this directive is what makes it strict; Biome takes every .js file for a module.
  'use strict';

  const EMOJI = {
    warning: '⚠️',
    white_check_mark: '✅',
    white_small_square: '▫️',
    footprints: '👣',
    heavy_check_mark: '✔️',
    x: '❌',
    rotating_light: '🚨',
    hourglass_flowing_sand: '⏳',
    hourglass: '⌛',
    lock: '🔒',
    unlock: '🔓',
    key: '🔑',
    closed_lock_with_key: '🔐',
    red_circle: '🔴',
    large_orange_circle: '🟠',
    orange_circle: '🟠',
    large_yellow_circle: '🟡',
    yellow_circle: '🟡',
    large_blue_circle: '🔵',
    blue_circle: '🔵',
    white_circle: '⚪',
    black_circle: '⚫',
    large_green_circle: '🟢',
    green_circle: '🟢',
    mag: '🔍',
    mag_right: '🔎',
    no_entry: '⛔',
    no_entry_sign: '🚫',
    arrows_counterclockwise: '🔄',
    information_source: 'ℹ️',
    shield: '🛡️',
    octagonal_sign: '🛑',
    clipboard: '📋',
    bust_in_silhouette: '👤',
    busts_in_silhouette: '👥',
    moneybag: '💰',
    money_with_wings: '💸',
    stopwatch: '⏱️',
    construction: '🚧',
    thumbsup: '👍',
    '+1': '👍',
    thumbsdown: '👎',
    eyes: '👀',
    leftwards_arrow_with_hook: '↩️',
    rewind: '⏪',
    gear: '⚙️',
    computer: '💻',
    globe_with_meridians: '🌐',
    link: '🔗',
    scroll: '📜',
    page_facing_up: '📄',
    fire: '🔥',
    bell: '🔔',
    pencil: '✏️',
    pencil2: '✏️',
    memo: '📝',
    question: '❓',
    grey_question: '❔',
    exclamation: '❗',
    heavy_minus_sign: '➖',
    small_red_triangle: '🔺',
    chart_with_upwards_trend: '📈',
    camera: '📷',
    floppy_disk: '💾',
    wastebasket: '🗑️',
    skull: '💀',
    zap: '⚡',
    test_tube: '🧪',
    robot_face: '🤖',
    cloud: '☁️',
    sparkles: '✨',
    tada: '🎉',
    hammer_and_wrench: '🛠️',
    wrench: '🔧',
    package: '📦',
    inbox_tray: '📥',
    outbox_tray: '📤',
    arrow_right: '➡️',
    heavy_plus_sign: '➕',
    hand: '✋',
    raised_hand: '✋',
    stop_sign: '🛑',
    dart: '🎯',
    spiral_note_pad: '🗒️',
    card_index_dividers: '🗂️',
    file_folder: '📁',
    calendar: '📆',
    date: '📅',
    alarm_clock: '⏰',
    timer_clock: '⏲️',
    detective: '🕵️',
    sleuth_or_spy: '🕵️',
    siren: '🚨',
    large_red_square: '🟥',
    red_square: '🟥',
    large_yellow_square: '🟨',
    large_orange_square: '🟧',
    large_blue_square: '🟦',
    white_large_square: '⬜',
    ballot_box_with_check: '☑️',
    heavy_exclamation_mark: '❗',
    double_vertical_bar: '⏸️',
    arrow_forward: '▶️',
    repeat: '🔁',
    lock_with_ink_pen: '🔏',
    earth_americas: '🌎',
    point_right: '👉',
    point_left: '👈',
    point_up: '☝️',
    point_down: '👇',
    raised_hands: '🙌',
    white_circle_: '⚪',
    no_bell: '🔕',
    speech_balloon: '💬',
    thought_balloon: '💭',
    lower_left_fountain_pen: '🖋️',
    world_map: '🗺️',
    receipt: '🧾',
    bar_chart: '📊',
    chart_with_downwards_trend: '📉',
  };

  function decode(s) {
    return s.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
  }
  function esc(s) {
    return String(s).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
  }
  function emoji(escaped) {
    return escaped.replace(/:([a-z0-9_+-]+):/g, (m, name) => (EMOJI[name] ? `<span class="emoji" title=":${name}:">${EMOJI[name]}</span>` : m));
  }

  function userName(id) {
    const users = window.AWSIR_LOCAL?.users || [];
    const u = users.find((x) => x.id === id);
    return u ? u.realName : id;
  }

  function formatDate(token, fallback) {
    // <!date^1392734382^{date_short} {time}|fallback>
    const m = /^date\^(\d+)\^([^^|]*)/.exec(token);
    if (!m) return esc(fallback);
    const d = new Date(Number(m[1]) * 1000);
    if (Number.isNaN(d.getTime())) return esc(fallback);
    const text = m[2]
      .replace('{date_num}', d.toISOString().slice(0, 10))
      .replace('{date_short}', d.toLocaleDateString(undefined, { month: 'short', day: 'numeric', year: 'numeric' }))
      .replace('{date_long}', d.toLocaleDateString(undefined, { weekday: 'long', month: 'long', day: 'numeric', year: 'numeric' }))
      .replace('{date}', d.toLocaleDateString(undefined, { month: 'long', day: 'numeric', year: 'numeric' }))
      .replace('{date_short_pretty}', d.toLocaleDateString())
      .replace('{date_pretty}', d.toLocaleDateString())
      .replace('{date_long_pretty}', d.toLocaleDateString())
      .replace('{time_secs}', d.toLocaleTimeString())
      .replace('{time}', d.toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit' }))
      .replace('{ago}', d.toLocaleString());
    return `<time datetime="${esc(d.toISOString())}">${esc(text)}</time>`;
  }

  /** One <…> token of Slack's message formatting. */
  function special(inner) {
    const [target, label] = splitOnce(inner, '|');
    if (target.startsWith('@')) return `<span class="mention">@${esc(label || userName(target.slice(1)))}</span>`;
    if (target.startsWith('#')) return `<span class="mention">#${esc(label || target.slice(1))}</span>`;
    if (target.startsWith('!subteam^')) return `<span class="mention">${esc(label || `@${target.slice(9)}`)}</span>`;
    if (target.startsWith('!date^')) return formatDate(target.slice(1), decode(label || ''));
    if (target.startsWith('!')) return `<span class="mention">@${esc(label || target.slice(1))}</span>`;
    const href = decode(target);
    if (/^(https?:|mailto:)/i.test(href)) {
      return `<a href="${esc(href)}" target="_blank" rel="noopener noreferrer">${esc(decode(label || target))}</a>`;
    }
    return esc(decode(inner));
  }

  function splitOnce(s, sep) {
    const i = s.indexOf(sep);
    return i < 0 ? [s, ''] : [s.slice(0, i), s.slice(i + 1)];
  }

  function emphasis(html) {
    return html
      .replace(/(^|[^\w*])\*(?!\s)([^*\n]*?[^\s*])\*(?!\w)/g, '$1<b>$2</b>')
      .replace(/(^|[^\w_])_(?!\s)([^_\n]*?[^\s_])_(?!\w)/g, '$1<i>$2</i>')
      .replace(/(^|[^\w~])~(?!\s)([^~\n]*?[^\s~])~(?!\w)/g, '$1<s>$2</s>');
  }

  // Rendered code spans and <…> tokens wait in `holes` while the rest is escaped and formatted; a NUL
  // on each side of the index marks the spot, a character mrkdwn text has no use for.
  const NUL = String.fromCharCode(0);
  const HOLE = new RegExp(`${NUL}(\\d+)${NUL}`, 'g');

  /** Inline formatting of one paragraph-ish chunk (no ``` inside). */
  function inline(text) {
    const holes = [];
    const hole = (html) => {
      holes.push(html);
      return `${NUL}${holes.length - 1}${NUL}`;
    };
    let s = text.replace(/`([^`\n]+)`/g, (_, code) => hole(`<code>${esc(decode(code))}</code>`));
    s = s.replace(/<([^<>\n]+)>/g, (_, inner) => hole(special(inner)));
    let html = emphasis(emoji(esc(decode(s))));
    html = html.replace(HOLE, (_, i) => holes[Number(i)]);
    return html;
  }

  function lines(text) {
    // Quotes: consecutive lines starting with "> " (escaped as &gt; by Slack clients).
    const out = [];
    let quote = [];
    const flush = () => {
      if (quote.length) out.push(`<blockquote>${quote.join('<br>')}</blockquote>`);
      quote = [];
    };
    for (const line of text.split('\n')) {
      const q = /^(&gt;|>)\s?(.*)$/.exec(line);
      if (q) quote.push(inline(q[2]));
      else {
        flush();
        out.push(`${inline(line)}<br>`);
      }
    }
    flush();
    return out.join('').replace(/<br>$/, '');
  }

  function mrkdwn(text) {
    if (!text) return '';
    const parts = String(text).split('```');
    return parts.map((part, i) => (i % 2 === 1 ? `<pre>${esc(decode(part.replace(/^\n/, '')))}</pre>` : lines(part))).join('');
  }

  function plain(text, withEmoji) {
    const escaped = esc(text || '');
    return withEmoji === false ? escaped : emoji(escaped);
  }

  window.AwsIrMrkdwn = { mrkdwn, plain, esc };
})();
