/**
 * Block Kit validation the way Slack's API does it: a message or view that breaks a documented limit
 * is refused (`invalid_blocks` / `invalid_arguments`) with messages in Slack's own format,
 * `[ERROR] <problem> [json-pointer:/blocks/0/text/text]`. The local run must fail where Slack would,
 * or a bug would only show up in a real workspace.
 */
type Json = Record<string, unknown>;

const LIMITS = {
  messageBlocks: 50,
  viewBlocks: 100,
  blockId: 255,
  actionId: 255,
  headerText: 150,
  sectionText: 3000,
  sectionFields: 10,
  fieldText: 2000,
  contextElements: 10,
  actionsElements: 25,
  buttonText: 75,
  buttonValue: 2000,
  url: 3000,
  confirmTitle: 100,
  confirmText: 300,
  confirmButton: 30,
  viewTitle: 24,
  viewButton: 24,
  callbackId: 255,
  privateMetadata: 3000,
  inputLabel: 2000,
  inputHint: 2000,
  placeholder: 150,
  optionText: 75,
  optionValue: 150,
  options: 100,
  imageAlt: 2000,
  messageText: 40_000,
} as const;

const BLOCK_TYPES = new Set(['section', 'header', 'divider', 'context', 'actions', 'image', 'input', 'rich_text', 'markdown', 'file', 'video']);
const INTERACTIVE_ELEMENTS = new Set([
  'button',
  'static_select',
  'external_select',
  'users_select',
  'conversations_select',
  'channels_select',
  'multi_static_select',
  'multi_users_select',
  'multi_conversations_select',
  'multi_channels_select',
  'multi_external_select',
  'overflow',
  'datepicker',
  'timepicker',
  'datetimepicker',
  'checkboxes',
  'radio_buttons',
  'plain_text_input',
  'email_text_input',
  'url_text_input',
  'number_input',
  'image',
  'rich_text_input',
]);

class Collector {
  readonly errors: string[] = [];
  readonly actionIds = new Set<string>();
  readonly blockIds = new Set<string>();
  fail(pointer: string, problem: string): void {
    this.errors.push(`[ERROR] ${problem} [json-pointer:${pointer}]`);
  }
}

function isObj(v: unknown): v is Json {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function checkLength(c: Collector, pointer: string, value: unknown, max: number): void {
  if (typeof value === 'string' && value.length > max) c.fail(pointer, `must be less than ${max + 1} characters`);
}

function checkText(c: Collector, pointer: string, t: unknown, max: number, plainOnly = false): void {
  if (!isObj(t)) {
    c.fail(pointer, 'must provide an object');
    return;
  }
  if (t.type !== 'plain_text' && t.type !== 'mrkdwn') {
    c.fail(`${pointer}/type`, 'must be a valid enum value');
    return;
  }
  if (plainOnly && t.type !== 'plain_text') {
    c.fail(`${pointer}/type`, 'must be a valid enum value');
    return;
  }
  if (typeof t.text !== 'string') {
    c.fail(`${pointer}/text`, 'must provide a string');
    return;
  }
  if (t.text.length === 0) {
    c.fail(`${pointer}/text`, 'must be more than 0 characters');
    return;
  }
  checkLength(c, `${pointer}/text`, t.text, max);
}

function checkConfirm(c: Collector, pointer: string, conf: unknown): void {
  if (conf === undefined) return;
  if (!isObj(conf)) {
    c.fail(pointer, 'must provide an object');
    return;
  }
  checkText(c, `${pointer}/title`, conf.title, LIMITS.confirmTitle, true);
  checkText(c, `${pointer}/text`, conf.text, LIMITS.confirmText);
  checkText(c, `${pointer}/confirm`, conf.confirm, LIMITS.confirmButton, true);
  checkText(c, `${pointer}/deny`, conf.deny, LIMITS.confirmButton, true);
}

function checkOptions(c: Collector, pointer: string, options: unknown): void {
  if (options === undefined) return;
  if (!Array.isArray(options)) {
    c.fail(pointer, 'must provide an array');
    return;
  }
  if (options.length > LIMITS.options) c.fail(pointer, `must provide no more than ${LIMITS.options} items`);
  options.forEach((o, i) => {
    if (!isObj(o)) {
      c.fail(`${pointer}/${i}`, 'must provide an object');
      return;
    }
    checkText(c, `${pointer}/${i}/text`, o.text, LIMITS.optionText);
    checkLength(c, `${pointer}/${i}/value`, o.value, LIMITS.optionValue);
  });
}

function checkElement(c: Collector, pointer: string, el: unknown): void {
  if (!isObj(el)) {
    c.fail(pointer, 'must provide an object');
    return;
  }
  const type = el.type;
  if (typeof type !== 'string' || !INTERACTIVE_ELEMENTS.has(type)) {
    c.fail(`${pointer}/type`, 'must be a valid enum value');
    return;
  }
  if (typeof el.action_id === 'string') {
    checkLength(c, `${pointer}/action_id`, el.action_id, LIMITS.actionId);
    if (c.actionIds.has(el.action_id)) c.fail(`${pointer}/action_id`, `action_id "${el.action_id}" already exists`);
    c.actionIds.add(el.action_id);
  }
  if (type === 'button') {
    checkText(c, `${pointer}/text`, el.text, LIMITS.buttonText, true);
    checkLength(c, `${pointer}/value`, el.value, LIMITS.buttonValue);
    checkLength(c, `${pointer}/url`, el.url, LIMITS.url);
    if (el.style !== undefined && el.style !== 'primary' && el.style !== 'danger') c.fail(`${pointer}/style`, 'must be a valid enum value');
  }
  if (type === 'image') {
    if (typeof el.image_url !== 'string' && !isObj(el.slack_file)) c.fail(`${pointer}/image_url`, 'must provide a string');
    if (typeof el.alt_text !== 'string') c.fail(`${pointer}/alt_text`, 'must provide a string');
  }
  if (el.placeholder !== undefined) checkText(c, `${pointer}/placeholder`, el.placeholder, LIMITS.placeholder, true);
  checkOptions(c, `${pointer}/options`, el.options);
  checkConfirm(c, `${pointer}/confirm`, el.confirm);
}

function checkBlock(c: Collector, pointer: string, b: unknown, surface: 'message' | 'modal'): void {
  if (!isObj(b)) {
    c.fail(pointer, 'must provide an object');
    return;
  }
  const type = b.type;
  if (typeof type !== 'string' || !BLOCK_TYPES.has(type)) {
    c.fail(`${pointer}/type`, 'must be a valid enum value');
    return;
  }
  if (b.block_id !== undefined) {
    if (typeof b.block_id !== 'string') c.fail(`${pointer}/block_id`, 'must provide a string');
    else {
      checkLength(c, `${pointer}/block_id`, b.block_id, LIMITS.blockId);
      if (c.blockIds.has(b.block_id)) c.fail(`${pointer}/block_id`, `block_id "${b.block_id}" already exists`);
      c.blockIds.add(b.block_id);
    }
  }
  switch (type) {
    case 'header':
      checkText(c, `${pointer}/text`, b.text, LIMITS.headerText, true);
      return;
    case 'section': {
      if (b.text === undefined && b.fields === undefined) {
        c.fail(pointer, 'must provide either text or fields');
        return;
      }
      if (b.text !== undefined) checkText(c, `${pointer}/text`, b.text, LIMITS.sectionText);
      if (b.fields !== undefined) {
        if (!Array.isArray(b.fields)) {
          c.fail(`${pointer}/fields`, 'must provide an array');
          return;
        }
        if (b.fields.length > LIMITS.sectionFields) c.fail(`${pointer}/fields`, `must provide no more than ${LIMITS.sectionFields} items`);
        b.fields.forEach((f, i) => {
          checkText(c, `${pointer}/fields/${i}`, f, LIMITS.fieldText);
        });
      }
      if (b.accessory !== undefined) checkElement(c, `${pointer}/accessory`, b.accessory);
      return;
    }
    case 'context': {
      if (!Array.isArray(b.elements) || b.elements.length === 0) {
        c.fail(`${pointer}/elements`, 'must provide at least 1 items');
        return;
      }
      if (b.elements.length > LIMITS.contextElements) c.fail(`${pointer}/elements`, `must provide no more than ${LIMITS.contextElements} items`);
      b.elements.forEach((e, i) => {
        if (isObj(e) && e.type === 'image') checkElement(c, `${pointer}/elements/${i}`, e);
        else checkText(c, `${pointer}/elements/${i}`, e, LIMITS.sectionText);
      });
      return;
    }
    case 'actions': {
      if (!Array.isArray(b.elements) || b.elements.length === 0) {
        c.fail(`${pointer}/elements`, 'must provide at least 1 items');
        return;
      }
      if (b.elements.length > LIMITS.actionsElements) c.fail(`${pointer}/elements`, `must provide no more than ${LIMITS.actionsElements} items`);
      b.elements.forEach((e, i) => {
        checkElement(c, `${pointer}/elements/${i}`, e);
      });
      return;
    }
    case 'image':
      if (typeof b.alt_text !== 'string') c.fail(`${pointer}/alt_text`, 'must provide a string');
      else checkLength(c, `${pointer}/alt_text`, b.alt_text, LIMITS.imageAlt);
      return;
    case 'input': {
      checkText(c, `${pointer}/label`, b.label, LIMITS.inputLabel, true);
      if (b.hint !== undefined) checkText(c, `${pointer}/hint`, b.hint, LIMITS.inputHint, true);
      checkElement(c, `${pointer}/element`, b.element);
      if (surface === 'modal' && isObj(b.element) && b.element.type === 'button') c.fail(`${pointer}/element/type`, 'must be a valid enum value');
      return;
    }
    default:
      return;
  }
}

/** Problems with a message's blocks, in Slack's format; empty = Slack would accept them. */
export function validateMessageBlocks(blocks: unknown): string[] {
  const c = new Collector();
  if (!Array.isArray(blocks)) {
    c.fail('/blocks', 'must provide an array');
    return c.errors;
  }
  if (blocks.length > LIMITS.messageBlocks) c.fail('/blocks', `no more than ${LIMITS.messageBlocks} items allowed`);
  blocks.forEach((b, i) => {
    checkBlock(c, `/blocks/${i}`, b, 'message');
  });
  return c.errors;
}

/** Problems with a modal view, in Slack's format; empty = Slack would accept it. */
export function validateView(view: unknown): string[] {
  const c = new Collector();
  if (!isObj(view)) {
    c.fail('/view', 'must provide an object');
    return c.errors;
  }
  if (view.type !== 'modal') c.fail('/view/type', 'must be a valid enum value');
  checkText(c, '/view/title', view.title, LIMITS.viewTitle, true);
  if (view.submit !== undefined) checkText(c, '/view/submit', view.submit, LIMITS.viewButton, true);
  if (view.close !== undefined) checkText(c, '/view/close', view.close, LIMITS.viewButton, true);
  checkLength(c, '/view/callback_id', view.callback_id, LIMITS.callbackId);
  checkLength(c, '/view/private_metadata', view.private_metadata, LIMITS.privateMetadata);
  if (!Array.isArray(view.blocks)) {
    c.fail('/view/blocks', 'must provide an array');
    return c.errors;
  }
  if (view.blocks.length > LIMITS.viewBlocks) c.fail('/view/blocks', `no more than ${LIMITS.viewBlocks} items allowed`);
  view.blocks.forEach((b, i) => {
    checkBlock(c, `/view/blocks/${i}`, b, 'modal');
  });
  const hasInput = view.blocks.some((b) => isObj(b) && b.type === 'input');
  if (hasInput && view.submit === undefined) c.fail('/view/submit', 'must provide an object when the view has input blocks');
  return c.errors;
}

export const MESSAGE_TEXT_LIMIT = LIMITS.messageText;
