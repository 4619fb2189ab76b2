/**
 * The product end to end, in a real (headless) browser on the local page: scan, request
 * "deactivate key" on the leaked key as Alice, Alice's own approval refused, Bob approves, the
 * verified result shows in the thread, and the sandbox account's key is really Inactive.
 */
import { copyFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { createLogger } from '../../src/logger';
import { startLocalStack, type RunningLocalStack } from '../../src/local/start-local';

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

async function waitForMark(page: Page, needle: string, label: RegExp, mark: string, timeoutMs: number): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await markButton(page, needle, label, mark))) {
    if (Date.now() > end) throw new Error(`no "${label.source}" button next to ${needle} within ${timeoutMs} ms`);
    await page.waitForTimeout(250);
  }
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
    stack = await startLocalStack({ port: 0, dbPath: ':memory:', logger: createLogger(process.env.E2E_LOG_LEVEL ?? 'silent') });
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

    // Alice scans.
    await page.fill('#composer-input', '/aws-ir scan');
    await page.press('#composer-input', 'Enter');
    await waitForMark(page, key.accessKeyId, /^Deactivate key$/, 'deactivate', 180_000);
    await stack.idle(); // the scan has finished posting; a person would wait for the summary too
    await waitForMark(page, key.accessKeyId, /^Deactivate key$/, 'deactivate', 10_000);
    await page.locator('.msg').first().scrollIntoViewIfNeeded();
    await snap(page, 'local-02-scan-summary', true);
    await page.locator('[data-e2e=deactivate]').scrollIntoViewIfNeeded();
    await snap(page, 'local-02-scan-findings', true);

    // Alice requests "deactivate key" on the leaked key.
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
    expect(pageErrors).toEqual([]);
  });
});
