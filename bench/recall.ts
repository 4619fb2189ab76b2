/**
 * Recall of a scenario's planted events: each is found when a finding of its detection names its target
 * at the expected severity or above. Benign look-alikes must stay below medium. Shared by the busy
 * benchmark and the volume integration test, so both count the same way.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { scenariosDir } from '@aws-ir/aws-sandbox';
import type { Finding, ScanResult, Severity } from '../src/scan/model';
import { SEVERITY_RANK } from '../src/scan/signals';

export interface Expectation {
  scenario: string;
  planted: { behaviour: string; detection?: string; minSeverity: Severity; target: string }[];
  benign: { item: string; marker: string }[];
}

export interface Recall {
  found: number;
  total: number;
  missed: string[];
  /** Benign items named by a finding at medium or above. */
  alarms: string[];
}

export function loadExpectation(scenario: string): Expectation {
  return JSON.parse(readFileSync(join(scenariosDir(), `${scenario}.expect.json`), 'utf8')) as Expectation;
}

const names = (f: Finding, text: string): boolean => f.resources.some((r) => r.includes(text)) || f.title.includes(text);
const atLeast = (s: Severity, min: Severity): boolean => SEVERITY_RANK[s] <= SEVERITY_RANK[min];

export function recall(e: Expectation, result: ScanResult): Recall {
  const missed = e.planted
    .filter((p) => !result.findings.some((f) => (!p.detection || f.detection === p.detection) && names(f, p.target) && atLeast(f.severity, p.minSeverity)))
    .map((p) => p.behaviour);
  const alarms = e.benign.filter((b) => result.findings.some((f) => atLeast(f.severity, 'medium') && names(f, b.marker))).map((b) => b.item);
  return { found: e.planted.length - missed.length, total: e.planted.length, missed, alarms };
}
