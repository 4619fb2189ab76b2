/**
 * Finds a scenario by name or path and builds its state: the one entry point for loading scenarios.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { SandboxState } from '../model';
import type { AccountDirectory } from '../organization/directory';
import { generateLargeOrgScenario } from '../organization/large-org';
import { isOrganizationDoc, readOrganizationScenario } from '../organization/scenario';
import { buildState } from './build';
import { addBusyHistory, generateBusyScenario } from './busy';
import { generateLargeScenario } from './large';
import { ScenarioError, type Json, type ScenarioReader } from './reader';

export const DEFAULT_SCENARIO = 'compromised-key';

/** The package's scenarios/ folder, from src/scenario (ts-jest) and dist/scenario (compiled) alike. */
export function scenariosDir(): string {
  return resolve(__dirname, '../../scenarios');
}

export interface LoadedScenario {
  name: string;
  /** Builds a fresh state relative to `now` (used at start and by reset()); the management account's for an organization. */
  build(now: Date): SandboxState;
  /** Organization scenarios: every account (organization/), relative to `now`, members built by `clock` when reached. */
  organization?(now: Date, clock: () => Date): AccountDirectory;
}

/**
 * A scenario by name (scenarios/NAME.json, or the generated `large`) or by file path. The document is
 * parsed and validated once here, so a broken file fails at start with every problem listed.
 */
export function loadScenario(nameOrFile: string = DEFAULT_SCENARIO, now: Date = new Date()): LoadedScenario {
  if (nameOrFile === 'large') {
    const build = (now: Date) => buildState(generateLargeScenario(now), 'large (generated)', now).state;
    return { name: 'large', build };
  }
  if (nameOrFile === 'busy' || nameOrFile === 'busy-small' || nameOrFile === 'busy-tiny') {
    // busy-small: the same account and attack over a hundredth of the events (about 20,000), for the
    // volume trials; busy-tiny: a thousandth (about 2,000), for the test suite.
    const scale = nameOrFile === 'busy' ? 1 : nameOrFile === 'busy-small' ? 0.01 : 0.001;
    const build = (now: Date) => {
      const { state } = buildState(generateBusyScenario(), `${nameOrFile} (generated)`, now);
      addBusyHistory(state, now, scale);
      return state;
    };
    return { name: nameOrFile, build };
  }
  if (nameOrFile === 'large-org') return organizationScenario(generateLargeOrgScenario(), 'large-org (generated)', now, false);
  const { file, doc } = readScenarioDocument(nameOrFile);
  if (isOrganizationDoc(doc)) return organizationScenario(doc, file, now, true);
  const first = buildState(doc, file, now);
  return { name: first.name, build: (now) => buildState(doc, file, now).state };
}

function organizationScenario(doc: Json, file: string, now: Date, validateMembers: boolean): LoadedScenario {
  const org = readOrganizationScenario(doc, file, now, templateDocument, validateMembers);
  return { name: org.name, build: (at) => org.build(at).management, organization: (at, clock) => org.build(at, clock) };
}

/** A member's template: an inline scenario document, or a shipped scenario by name. */
function templateDocument(ref: Json, path: string, r: ScenarioReader): Record<string, Json> {
  if (ref && typeof ref === 'object' && !Array.isArray(ref)) return ref as Record<string, Json>;
  if (typeof ref !== 'string' || ref === 'large' || ref === 'large-org') {
    r.problem(path, 'must name a shipped account scenario (e.g. "clean", "library/iam-persistence") or be a scenario document');
    return {};
  }
  try {
    const { doc } = readScenarioDocument(ref);
    if (doc && typeof doc === 'object' && !isOrganizationDoc(doc)) return doc as Record<string, Json>;
    r.problem(path, `"${ref}" is not an account scenario`);
  } catch (err) {
    r.problem(path, err instanceof ScenarioError ? err.problems.join('; ') : `"${ref}" cannot be read`);
  }
  return {};
}

function readScenarioDocument(nameOrFile: string): { file: string; doc: Json } {
  const looksLikePath = (nameOrFile.includes('/') && !nameOrFile.startsWith('library/')) || nameOrFile.includes('\\') || nameOrFile.endsWith('.json');
  // "library/NAME" names a scenario of the public-record library (scenarios/library/NAME.json).
  const file = looksLikePath ? resolve(nameOrFile) : join(scenariosDir(), `${nameOrFile}.json`);
  if (!existsSync(file)) {
    throw new ScenarioError(file, [
      looksLikePath ? 'file not found' : `no scenario named "${nameOrFile}" (files in ${scenariosDir()}, or "large", "busy", "busy-small", "busy-tiny")`,
    ]);
  }
  let doc: Json;
  try {
    doc = JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    throw new ScenarioError(file, [`not valid JSON: ${err instanceof Error ? err.message : String(err)}`]);
  }
  return { file, doc };
}
