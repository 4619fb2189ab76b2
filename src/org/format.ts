/**
 * Plain renderings of an organization sweep for the terminal and tickets. The JSON keeps the scan's
 * contract (account, window, regions, findings, gaps, stats: every account's findings and gaps, each
 * naming its `account`) and adds `accounts` [{account, name, ou, status, reason?, result}], the
 * stories that cross accounts and the sweep's counts. Text and Markdown lead with the ranking, then
 * one section per account with findings, then the accounts without findings on one line.
 */
import { toJsonObject, toMarkdown, toText } from '../scan/format';
import { SEVERITIES } from '../scan/model';
import type { SweepAccountRecord } from '../store/model';
import { severityCounts, worstSeverity } from './aggregate';
import type { CrossAccountStory, OrgSweepResult } from './model';

export function toOrgJsonObject(r: OrgSweepResult): Record<string, unknown> {
  const base = toJsonObject(r);
  return {
    ...base,
    findings: (base.findings as Record<string, unknown>[]).map((f, i) => ({ ...f, account: r.findings[i]!.account })),
    gaps: r.gaps.map((g) => ({ ...(g.account ? { account: g.account } : {}), check: g.check, ...(g.region ? { region: g.region } : {}), reason: g.reason })),
    organization: r.organization,
    accounts: r.accounts.map((a) => ({
      account: a.account,
      name: a.name,
      ou: a.ou,
      status: a.status,
      ...(a.reason ? { reason: a.reason } : {}),
      access: a.access,
      ...(a.reusedFrom ? { reusedFrom: a.reusedFrom } : {}),
      result: a.result ? toJsonObject(a.result) : null,
    })),
    crossAccount: r.crossAccount,
  };
}

function countsLine(a: SweepAccountRecord): string {
  const counts = severityCounts(a.result?.findings ?? []);
  return SEVERITIES.filter((s) => counts[s] > 0)
    .map((s) => `${counts[s]} ${s}`)
    .join(', ');
}

export function storyLine(s: CrossAccountStory): string {
  const what = s.kind === 'access-key' ? `access key ${s.value}` : `source address ${s.value}`;
  return `${s.severity}: ${what} in ${s.accounts.length} accounts (${s.accounts.map((a) => a.account).join(', ')})`;
}

function headline(r: OrgSweepResult): string[] {
  const o = r.organization;
  return [
    `window ${r.window.start} .. ${r.window.end}; ${o.listed} accounts: ${o.scanned} scanned${o.reused ? ` (${o.reused} reused from sweep ${o.resumedFrom ?? ''})` : ''}, ${o.gaps} not scanned`,
    ...(o.unknownAccounts.length ? [`not in the organization: ${o.unknownAccounts.join(', ')}`] : []),
  ];
}

const withFindings = (r: OrgSweepResult) => r.accounts.filter((a) => a.status === 'scanned' && (a.result?.findings.length ?? 0) > 0);
const clean = (r: OrgSweepResult) => r.accounts.filter((a) => a.status === 'scanned' && (a.result?.findings.length ?? 0) === 0);
const notScanned = (r: OrgSweepResult) => r.accounts.filter((a) => a.status !== 'scanned');

export function toOrgText(r: OrgSweepResult): string {
  const lines = [`aws-ir organization sweep from account ${r.organization.home}`, ...headline(r), ''];
  if (r.crossAccount.length) {
    lines.push('Across accounts:');
    for (const s of r.crossAccount) lines.push(`  - ${storyLine(s)}`);
    lines.push('');
  }
  lines.push('Accounts by their worst story and finding:');
  for (const a of withFindings(r)) {
    lines.push(`  ${(worstSeverity(a.result!.findings) ?? '').toUpperCase().padEnd(8)} ${a.account} ${a.name} (${a.ou}): ${countsLine(a)}`);
    const story = a.result!.stories?.[0];
    if (story) lines.push(`           story: ${story.summary.split('\n')[0]}`);
  }
  const quiet = clean(r);
  if (quiet.length) lines.push(`  no findings: ${quiet.map((a) => `${a.account} ${a.name}`).join(', ')}`);
  for (const a of notScanned(r)) lines.push(`  NOT SCANNED ${a.account} ${a.name} (${a.ou}): ${a.status}: ${a.reason ?? ''}`);
  lines.push('');
  for (const a of withFindings(r)) {
    lines.push(`=== ${a.account} ${a.name} (${a.ou}) ===`, toText(a.result!), '');
  }
  const calls = Object.values(r.stats.apiCalls).reduce((x, y) => x + y, 0);
  lines.push(`${calls} AWS API calls in ${(r.stats.durationMs / 1000).toFixed(1)} s`);
  return lines.join('\n');
}

const md = (s: string): string => s.replace(/([|*_`\\[\]])/g, '\\$1');

export function toOrgMarkdown(r: OrgSweepResult): string {
  const lines = [`# aws-ir organization sweep from account ${r.organization.home}`, '', ...headline(r).map((l) => `- ${md(l)}`), ''];
  if (r.crossAccount.length) {
    lines.push('## Across accounts', '');
    for (const s of r.crossAccount) lines.push(`- ${md(storyLine(s))}`);
    lines.push('');
  }
  lines.push('## Accounts', '', '| Account | Name | OU | Worst | Findings |', '| --- | --- | --- | --- | --- |');
  for (const a of withFindings(r)) lines.push(`| ${a.account} | ${md(a.name)} | ${md(a.ou)} | ${worstSeverity(a.result!.findings)} | ${countsLine(a)} |`);
  lines.push('');
  const quiet = clean(r);
  if (quiet.length) lines.push(`No findings: ${quiet.map((a) => `${a.account} ${md(a.name)}`).join(', ')}`, '');
  const gaps = notScanned(r);
  if (gaps.length) {
    lines.push('## Not scanned', '');
    for (const a of gaps) lines.push(`- ${a.account} ${md(a.name)} (${md(a.ou)}), ${a.status}: ${md(a.reason ?? '')}`);
    lines.push('');
  }
  for (const a of withFindings(r))
    lines.push(
      toMarkdown(a.result!)
        .replace(/^# aws-ir scan of account/, `# Account`)
        .replace(/^(#+) /gm, '#$1 '),
      '',
    );
  return lines.join('\n');
}
