/**
 * Stories above findings: the scan's findings and its CloudTrail events correlated into what each
 * compromised credential did. A story starts at a credential the detections flagged (above routine)
 * that no other flagged credential handed on; everything it handed on is followed and belongs to it.
 * Findings tied to no story stay as they are. Pure: the engine passes what the checks read.
 */
import { createHash } from 'node:crypto';
import type { TrailEvent } from '../cloudtrail-events';
import type { Finding } from '../model';
import { SEVERITY_RANK } from '../signals';
import { belongs, costShare, storyAccounts, type Reach } from './attach';
import { addressesOfFinding, credentialOfFinding, entryOf, type Credential } from './credentials';
import { follow, followedCredential, indexTrail } from './follow';
import type { Story } from './model';
import { planFor } from './plan';
import { storySummary } from './summary';

export interface StoryInput {
  account: string;
  findings: readonly Finding[];
  /** The scan's CloudTrail events (window and baseline); AWS's own calls and the scan's are left out here. */
  events: readonly TrailEvent[];
  window: { start: Date; end: Date };
  /** The scanning identity: its reads are not the attacker's. */
  ownPrincipal?: string;
}

interface Seed {
  credential: Credential;
  addresses: Set<string>;
  first: number;
  worst: number;
}

function seedsOf(findings: readonly Finding[]): Seed[] {
  const seeds = new Map<Credential, Seed>();
  for (const f of findings) {
    if (f.check !== 'cloudtrail' || SEVERITY_RANK[f.severity] > SEVERITY_RANK.medium) continue;
    const c = credentialOfFinding(f);
    if (!c) continue;
    const first = typeof f.evidence.first === 'string' ? Date.parse(f.evidence.first) : Number.POSITIVE_INFINITY;
    const seed = seeds.get(c) ?? { credential: c, addresses: new Set<string>(), first, worst: SEVERITY_RANK[f.severity] };
    for (const a of addressesOfFinding(f)) seed.addresses.add(a);
    seed.first = Math.min(seed.first, first);
    seed.worst = Math.min(seed.worst, SEVERITY_RANK[f.severity]);
    seeds.set(c, seed);
  }
  return [...seeds.values()].sort((a, b) => a.first - b.first || a.credential.localeCompare(b.credential));
}

export function storyId(account: string, entry: string): string {
  return `story-${createHash('sha256').update(`${account}\u0000${entry}`).digest('hex').slice(0, 12)}`;
}

export function buildStories(input: StoryInput): Story[] {
  const { start, end } = input.window;
  const events = input.events.filter(
    (e) => !e.awsOrigin && e.principal !== input.ownPrincipal && e.time.getTime() >= start.getTime() && e.time.getTime() <= end.getTime(),
  );
  const index = indexTrail(events);
  const covered = new Set<Credential>();
  const stories: { story: Story; worst: number }[] = [];
  for (const seed of seedsOf(input.findings)) {
    if (covered.has(seed.credential)) continue;
    const followed = follow(index, seed.credential, seed.addresses);
    for (const c of followed.credentials) covered.add(c);
    // Credentials flagged on their own that this one handed on belong here (already followed).
    const entryEvent = (index.byCredential.get(seed.credential) ?? [])[0];
    const entry = entryOf(seed.credential, entryEvent);
    const reach: Reach = { credentials: new Set(followed.credentials), entry, footprint: followed.footprint };
    const accounts = storyAccounts(reach, input.findings);
    const mine = input.findings.filter((f) => belongs(f, reach, accounts));
    if (!mine.length) continue;
    const by: Record<string, number> = {};
    for (const f of mine) {
      const share = costShare(f, reach, accounts);
      if (!share) continue;
      const key = typeof f.evidence.region === 'string' ? f.evidence.region : `account ${String(f.evidence.linkedAccount)}`;
      by[key] = Math.max(by[key] ?? 0, share);
    }
    const usd = Object.values(by).reduce((a, b) => a + b, 0);
    const times = followed.events.map((e) => e.time.getTime());
    const firstSeen = new Date(times.length ? Math.min(...times) : seed.first).toISOString();
    const lastSeen = new Date(times.length ? Math.max(...times) : seed.first).toISOString();
    const story: Story = {
      id: storyId(input.account, entry.id),
      entry,
      firstSeen,
      lastSeen,
      sourceAddresses: [...followed.addresses].sort(),
      summary: '',
      findingIds: mine.map((f) => f.id),
      timeline: followed.timeline,
      credentials: followed.credentials,
      footprint: followed.footprint,
      ...(usd > 0 ? { cost: { usd: Math.round(usd * 100) / 100, by } } : {}),
      plan: [],
    };
    story.summary = storySummary(story, mine);
    story.plan = planFor(story, mine);
    stories.push({ story, worst: Math.min(...mine.map((f) => SEVERITY_RANK[f.severity])) });
  }
  return stories.sort((a, b) => a.worst - b.worst || a.story.firstSeen.localeCompare(b.story.firstSeen)).map((s) => s.story);
}

export { followedCredential };
