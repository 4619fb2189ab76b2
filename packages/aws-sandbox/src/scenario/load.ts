/**
 * Finds a scenario by name or path and builds its state: the one entry point for loading scenarios.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { SandboxState } from '../model';
import { buildState } from './build';
import { addBusyHistory, generateBusyScenario } from './busy';
import { generateLargeScenario } from './large';
import { ScenarioError } from './reader';

export const DEFAULT_SCENARIO = 'compromised-key';

/** The package's scenarios/ folder, from src/scenario (ts-jest) and dist/scenario (compiled) alike. */
export function scenariosDir(): string {
  return resolve(__dirname, '../../scenarios');
}

export interface LoadedScenario {
  name: string;
  /** Builds a fresh state relative to `now` (used at start and by reset()). */
  build(now: Date): SandboxState;
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
  if (nameOrFile === 'busy' || nameOrFile === 'busy-small') {
    // busy-small: the same account and attack over a hundredth of the events (about 20,000), for tests.
    const scale = nameOrFile === 'busy' ? 1 : 0.01;
    const build = (now: Date) => {
      const { state } = buildState(generateBusyScenario(), `${nameOrFile} (generated)`, now);
      addBusyHistory(state, now, scale);
      return state;
    };
    return { name: nameOrFile, build };
  }
  const looksLikePath = (nameOrFile.includes('/') && !nameOrFile.startsWith('library/')) || nameOrFile.includes('\\') || nameOrFile.endsWith('.json');
  // "library/NAME" names a scenario of the public-record library (scenarios/library/NAME.json).
  const file = looksLikePath ? resolve(nameOrFile) : join(scenariosDir(), `${nameOrFile}.json`);
  if (!existsSync(file)) {
    throw new ScenarioError(file, [
      looksLikePath ? 'file not found' : `no scenario named "${nameOrFile}" (files in ${scenariosDir()}, or "large", "busy", "busy-small")`,
    ]);
  }
  let doc: unknown;
  try {
    doc = JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    throw new ScenarioError(file, [`not valid JSON: ${err instanceof Error ? err.message : String(err)}`]);
  }
  const first = buildState(doc, file, now);
  return { name: first.name, build: (now) => buildState(doc, file, now).state };
}
