/** What a rule derives before the checklist stores it: an open item without its per-channel state. */
import type { OpenItem } from '../store/model';

export type OpenItemSpec = Pick<OpenItem, 'key' | 'step' | 'title' | 'guidance' | 'verifiedBy' | 'source'> & { account?: string };

/** The sentence every attested item carries: a click in Slack is a person's word, not a check of AWS. */
export const NOT_VERIFIED_NOTE = 'aws-ir did not verify this in AWS; it is a person’s word.';

export const RESCAN_NOTE = 'aws-ir did not verify this in AWS yet: the next scan re-reads it, and reopens the item if it still shows.';
