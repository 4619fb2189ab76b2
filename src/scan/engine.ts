/**
 * The scan engine's entry point. Contract used by the Slack handlers and the CLI; the engine never
 * imports Bolt. (Implementation: see the checks in ./checks and the runner.)
 */
import type { AwsClients } from '../aws/clients';
import type { ProgressEvent, ScanOptions, ScanResult } from './model';

export interface ScanInput {
  clients: AwsClients;
  options: ScanOptions;
  onProgress?: (event: ProgressEvent) => void;
}

export type ScanFn = (input: ScanInput) => Promise<ScanResult>;

export const runScan: ScanFn = async () => {
  throw new Error('runScan: not implemented yet');
};
