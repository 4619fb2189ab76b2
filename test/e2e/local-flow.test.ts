/**
 * The product end to end, in a real (headless) browser on the local page: scan; the summary's story
 * names the leaked key of ci-deploy, the backdoor user, the outside-trusting role, the new member
 * account and the GPU instances in at most five lines; the first do-first button deactivates the
 * leaked key: Alice requests it, her own approval is refused, Bob approves, the verified result shows
 * and the sandbox's key is really Inactive. Then the plan's next two actions, and a re-scan reports
 * the three contained. At 390 px the responder switch is in reach and the banner one line.
 */
import { copyFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { createLogger } from '../../src/logger';
import { startLocalStack, type RunningLocalStack } from '../../src/local/start-local';
import { VirtualTime } from '../support/virtual-time';

jest.setTimeout(240_000);

/** The little of the DOM the in-page functions use (the project compiles without lib "dom"). */
interface DomNode {
  textContent: string | null;
  children: ArrayLike<DomNode>;
  classList: { contains(c: string): boolean };
  querySelectorAll(selector: string): ArrayLike<DomNode>;
  setAttribute(name: string, value: string): void;
}
declare const document: { querySelectorAll(selector: string): ArrayLike<DomNode>; getElementById(id: string): DomNode | null };

const ARTIFACTS = join(__dirname, '../../test-artifacts');
const SCREENSHOTS = join(__dirname, '../../docs/screenshots');
const LEAKED_USER = 'ci-deploy';

function leakedKey(stack: RunningLocalStack): { accessKeyId: string; status: () => string | undefined } {
  const user = stack.sandbox.state.users.find((u) => u.userName === LEAKED_USER);
  const key = user?.accessKeys.find((k) => k.status === 'Active');
  if (!user || !key) throw new Error(`scenario has no active key for ${LEAKED_USER}`);
  return {
    accessKeyId: key.accessKeyId,
    status: () => stack.sandbox.state.users.find((u) => u.userName === LEAKED_USER)?.accessKeys.find((k) => k.accessKeyId === key.accessKeyId)?.status,
  };
}

/** Marks the `n`-th button of the latest do-first plan (the first reply of the latest scan); returns its step's text. */
async function markPlanButton(page: Page, n: number, mark: string): Promise<string | undefined> {
  return page.evaluate(
    ({ n, mark }) => {
      const plans = Array.from(document.querySelectorAll('.bk-blocks')).filter((b) => /Do first/.test(b.textContent ?? ''));
      const plan = plans[plans.length - 1];
      if (!plan) return undefined;
      const sections = Array.from(plan.querySelectorAll('.bk-section')).filter((s) => s.querySelectorAll('.bk-accessory button').length > 0);
      const section = sections[n];
      const button = section?.querySelectorAll('.bk-accessory button')[0];
      if (!section || !button) return undefined;
      button.setAttribute('data-e2e', mark);
      return section.textContent ?? '';
    },
    { n, mark },
  );
}

/** The text of the latest scan summary (the channel message that leads with "What happened"). */
async function latestSummary(page: Page): Promise<string> {
  return page.evaluate(() => {
    const all = Array.from(document.querySelectorAll('.bk-blocks')).filter((b) => /AWS IR scan of account/.test(b.textContent ?? ''));
    return all[all.length - 1]?.textContent ?? '';
  });
}

/** Requests the marked button's action as the current viewer (reason form), then Bob approves it. */
async function requestAndApprove(page: Page, mark: string, reason: string): Promise<void> {
  const verifiedBefore = await page
    .locator('.thread')
    .getByText(/read back and verified/i)
    .count();
  await page.locator(`[data-e2e=${mark}]`).click();
  const modal = page.locator('#modal-backdrop:not(.hidden)');
  await modal.waitFor({ timeout: 10_000 });
  const field = page.locator('#modal textarea, #modal input[type=text]').first();
  if (await field.count()) await field.fill(reason);
  await page.locator('#modal [data-role=submit]').click();
  await modal.waitFor({ state: 'hidden' });
  await page
    .locator('.thread .bk-button', { hasText: /^Approve$/ })
    .last()
    .waitFor({ timeout: 30_000 });
  await page.selectOption('#as-user', 'U0BOB');
  await page.waitForFunction(() => /Bob/.test(document.getElementById('viewer-label')?.textContent ?? ''));
  await page
    .locator('.thread .bk-button', { hasText: /^Approve$/ })
    .last()
    .click();
  // An action that cannot be undone asks Slack's confirm dialog first: wait for it or for the result, whichever comes.
  await page.waitForFunction(
    (n) =>
      document.querySelectorAll('#confirm-backdrop:not(.hidden) [data-role=confirm]').length > 0 ||
      (
        Array.from(document.querySelectorAll('.thread'))
          .map((t) => t.textContent ?? '')
          .join('\n')
          .match(/read back and verified/gi) ?? []
      ).length > n,
    verifiedBefore,
    { timeout: 60_000 },
  );
  const confirm = page.locator('#confirm-backdrop:not(.hidden) [data-role=confirm]');
  if (await confirm.count()) await confirm.click();
  await page
    .waitForFunction(
      (n) => {
        const text = Array.from(document.querySelectorAll('.thread'))
          .map((t) => t.textContent ?? '')
          .join('\n');
        return (text.match(/read back and verified/gi) ?? []).length > n;
      },
      verifiedBefore,
      { timeout: 60_000 },
    )
    .catch(async (err: unknown) => {
      const tail = await page.evaluate(() => {
        const msgs = Array.from(document.querySelectorAll('.msg'));
        return msgs.slice(-4).map((m) => m.textContent ?? '');
      });
      throw new Error(`${mark}: no verified result; last messages: ${tail.join(' | ').slice(0, 3000)} (${String(err)})`);
    });
  await page.selectOption('#as-user', 'U0ALICE');
  await page.waitForFunction(() => /Alice/.test(document.getElementById('viewer-label')?.textContent ?? ''));
}

/** Marks the first button labelled `label` in a blocks group whose text mentions `needle`. */
async function markButton(page: Page, needle: string, label: RegExp, mark: string): Promise<boolean> {
  return page.evaluate(
    ({ needle, source, flags, mark }) => {
      const re = new RegExp(source, flags);
      for (const blocks of Array.from(document.querySelectorAll('.bk-blocks'))) {
        let context = '';
        for (const node of Array.from(blocks.children)) {
          if (node.classList.contains('bk-actions')) {
            if (context.includes(needle)) {
              const button = Array.from(node.querySelectorAll('button')).find((b) => re.test(b.textContent ?? ''));
              if (button) {
                button.setAttribute('data-e2e', mark);
                return true;
              }
            }
            context = '';
          } else context += node.textContent ?? '';
        }
      }
      return false;
    },
    { needle, source: label.source, flags: label.flags, mark },
  );
}

async function snap(page: Page, name: string, forDocs = false): Promise<void> {
  const file = join(ARTIFACTS, `${name}.png`);
  await page.screenshot({ path: file, fullPage: false });
  // README images change only on request, so a test run never dirties the working tree.
  if (forDocs && process.env.UPDATE_SCREENSHOTS === '1') copyFileSync(file, join(SCREENSHOTS, `${name}.png`));
}

describe('local page: scan -> request -> second-responder approval -> verified result', () => {
  let stack: RunningLocalStack;
  let browser: Browser;

  beforeAll(async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    mkdirSync(SCREENSHOTS, { recursive: true });
    stack = await startLocalStack({ port: 0, dbPath: ':memory:', clock: new VirtualTime(), logger: createLogger(process.env.E2E_LOG_LEVEL ?? 'silent') });
    browser = await chromium.launch({
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    });
  });

  afterAll(async () => {
    await browser?.close();
    await stack?.close();
  });

  test('two responders drive the whole flow in the browser', async () => {
    const key = leakedKey(stack);
    expect(key.status()).toBe('Active');
    const page = await browser.newPage({ viewport: { width: 1360, height: 900 } });
    const pageErrors: string[] = [];
    page.on('pageerror', (e) => pageErrors.push(e.message));
    await page.goto(`${stack.url.replace('localhost', '127.0.0.1')}/?as=U0ALICE`);
    await page.getByText('Local sandbox — not Slack, not AWS').waitFor();
    await snap(page, 'local-01-empty-channel');

    // Alice scans; the first actionable finding arrives before the scan ends.
    const t0 = Date.now();
    await page.fill('#composer-input', '/aws-ir scan');
    await page.press('#composer-input', 'Enter');
    await page.getByText('Found first').first().waitFor({ timeout: 60_000 });
    const firstActionableMs = Date.now() - t0;
    await page.getByText('Do first').first().waitFor({ timeout: 180_000 });
    await stack.idle(); // the scan has finished posting; a person would wait for the summary too
    const summaryMs = Date.now() - t0;
    process.stdout.write(
      `\nbrowser, compromised-key: first actionable finding ${firstActionableMs} ms, do-first plan and summary ${summaryMs} ms after /aws-ir scan\n`,
    );

    // The story: the leaked key, the backdoor user, the outside-trusting role, the new account, the GPU instances, in at most 5 lines.
    const summary = await page.evaluate(() => {
      const all = Array.from(document.querySelectorAll('.bk-section')).filter((b) => /What happened/.test(b.textContent ?? ''));
      return all[all.length - 1]?.textContent ?? '';
    });
    for (const named of [key.accessKeyId, LEAKED_USER, 'svc-backup', 'ops-support', '999988887777', 'backup-services', 'GPU instances'])
      expect(summary).toContain(named);
    const storyLines = await page.evaluate(() => {
      const all = Array.from(document.querySelectorAll('.bk-section')).filter((b) => /What happened/.test(b.textContent ?? ''));
      const node = all[all.length - 1] as unknown as { innerText?: string } | undefined;
      // The lines as rendered are what a person reads: textContent would join them.
      // biome-ignore lint/performance/useDomNodeTextContent: counting rendered lines
      return (node?.innerText ?? '').split('\n').filter((l) => l.trim()).length;
    });
    expect(storyLines).toBeLessThanOrEqual(5);
    await page.locator('.msg').first().scrollIntoViewIfNeeded();
    await snap(page, 'local-02-scan-summary', true);

    // The first do-first button deactivates the leaked key.
    const firstStep = await markPlanButton(page, 0, 'deactivate');
    expect(firstStep).toContain(key.accessKeyId);
    expect(await page.locator('[data-e2e=deactivate]').textContent()).toBe('Deactivate key');
    await page.locator('[data-e2e=deactivate]').scrollIntoViewIfNeeded();
    await snap(page, 'local-02-do-first', true);
    expect(await markButton(page, key.accessKeyId, /^Deactivate key$/, 'finding-deactivate')).toBe(true);
    await page.locator('[data-e2e=finding-deactivate]').scrollIntoViewIfNeeded();
    await snap(page, 'local-02-scan-findings', true);

    // Alice requests it from the plan.
    await page.locator('[data-e2e=deactivate]').click();
    const modal = page.locator('#modal-backdrop:not(.hidden)');
    if (
      await modal.waitFor({ timeout: 5_000 }).then(
        () => true,
        () => false,
      )
    ) {
      const reason = page.locator('#modal textarea, #modal input[type=text]').first();
      if (await reason.count()) await reason.fill('Key leaked in CI logs; used from an unknown IP to create svc-backup.');
      await snap(page, 'local-03-request-modal', true);
      await page.locator('#modal [data-role=submit]').click();
      await modal.waitFor({ state: 'hidden' });
    }

    // The request appears with Approve / Reject; Alice's own approval is refused.
    const approve = page.locator('.thread .bk-button', { hasText: /^Approve$/ }).last();
    await approve.waitFor({ timeout: 30_000 });
    await approve.scrollIntoViewIfNeeded();
    await snap(page, 'local-04-request-pending', true);
    const ephemeralBefore = await page.locator('.msg.ephemeral').count();
    await approve.click();
    await page.waitForFunction((n) => document.querySelectorAll('.msg.ephemeral').length > n, ephemeralBefore, { timeout: 20_000 });
    const refusal = (await page.locator('.msg.ephemeral').last().textContent()) ?? '';
    expect(refusal).toMatch(/different|your own|yourself|second/i);
    await snap(page, 'local-04-self-approval-refused');
    expect(key.status()).toBe('Active');

    // Bob approves; the verified result shows in the thread.
    await page.selectOption('#as-user', 'U0BOB');
    await page.waitForFunction(() => /Bob/.test(document.getElementById('viewer-label')?.textContent ?? ''));
    const bobApprove = page.locator('.thread .bk-button', { hasText: /^Approve$/ }).last();
    await bobApprove.click();
    await page
      .locator('.thread')
      .getByText(/read back and verified/i)
      .first()
      .waitFor({ timeout: 60_000 });
    await stack.idle();
    expect(key.status()).toBe('Inactive');
    await page
      .locator('.thread')
      .getByText(/read back and verified/i)
      .first()
      .scrollIntoViewIfNeeded();
    await snap(page, 'local-05-approved-verified', true);

    // The plan's next two actions (what the key left behind), each approved by Bob.
    await page.selectOption('#as-user', 'U0ALICE');
    await page.waitForFunction(() => /Alice/.test(document.getElementById('viewer-label')?.textContent ?? ''));
    // The plan follows the team's work: a step done loses its button, so the next open step is always the first button.
    for (const [done, why] of [
      [1, 'Backdoor key created by the leaked key.'],
      [2, 'Console password set by the attacker on the backdoor user.'],
    ] as const) {
      await page.waitForFunction(
        (n) => {
          const plans = Array.from(document.querySelectorAll('.bk-blocks')).filter((b) => /Do first/.test(b.textContent ?? ''));
          return new RegExp(`${n} of \\d+ steps done`).test(plans[plans.length - 1]?.textContent ?? '');
        },
        done,
        { timeout: 30_000 },
      );
      expect(await markPlanButton(page, 0, `plan-${done}`)).toMatch(/svc-backup|AKIASVCBACKUP/);
      await requestAndApprove(page, `plan-${done}`, why);
    }
    await stack.idle();

    // A re-scan reports them contained: the plan's first three steps done, the summary says what changed.
    await page.fill('#composer-input', '/aws-ir scan');
    await page.press('#composer-input', 'Enter');
    await page.waitForFunction(
      () => Array.from(document.querySelectorAll('.bk-blocks')).filter((b) => /Since the scan at/.test(b.textContent ?? '')).length > 0,
      undefined,
      {
        timeout: 180_000,
      },
    );
    await stack.idle();
    const again = await latestSummary(page);
    const contained = Number(/(\d+) contained/.exec(again)?.[1] ?? '0');
    expect(contained).toBeGreaterThanOrEqual(3);
    const plan = await page.evaluate(() => {
      const plans = Array.from(document.querySelectorAll('.bk-blocks')).filter((b) => /Do first/.test(b.textContent ?? ''));
      return plans[plans.length - 1]?.textContent ?? '';
    });
    expect((plan.match(/— done/g) ?? []).length).toBeGreaterThanOrEqual(3);
    expect(plan).toMatch(/3 of \d+ steps done/);
    await page
      .getByText(/Since the scan at/)
      .last()
      .scrollIntoViewIfNeeded();
    await snap(page, 'local-06-rescan-contained', true);
    expect(pageErrors).toEqual([]);
  });

  test('on a phone (390 px) the responder switch is in reach and the banner takes one line', async () => {
    const page = await browser.newPage({ viewport: { width: 390, height: 844 } });
    await page.goto(`${stack.url.replace('localhost', '127.0.0.1')}/?as=U0ALICE`);
    await page.getByText('Local sandbox — not Slack, not AWS').waitFor();
    const select = page.locator('#as-user');
    expect(await select.isVisible()).toBe(true);
    const box = await select.boundingBox();
    expect(box && box.x >= 0 && box.x + box.width <= 390 && box.y + box.height <= 844).toBe(true);
    await page.selectOption('#as-user', 'U0BOB');
    await page.waitForFunction(() => /Bob/.test(document.getElementById('viewer-label')?.textContent ?? ''));
    const banner = await page.locator('#banner').boundingBox();
    const line = await page.evaluate(() => {
      const strong = document.querySelectorAll('#banner strong')[0] as unknown as { getBoundingClientRect(): { height: number } } | undefined;
      return strong?.getBoundingClientRect().height ?? 0;
    });
    // One line: the banner is no taller than a line of its text plus its padding and button.
    expect(banner?.height ?? 999).toBeLessThanOrEqual(Math.max(line, 20) + 16);
    await snap(page, 'local-07-phone', true);
  });
});
