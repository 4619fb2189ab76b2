/**
 * Item 2 of issue 14: no input crashes the process. The real app (src/app.ts) runs as a child process
 * in HTTP mode; every kind of payload Slack can send is mutated 50 times (a fixed seed: dropped fields,
 * wrong types, nesting, huge strings, odd unicode and Slack markup, truncation, broken outer forms such
 * as `payload=null`) and sent correctly signed. `npm run bench` sends 1,000 of each kind
 * (bench/trials/payload-fuzz.trial.ts); the assertions are the same (support/fuzz-suite.ts).
 *
 * After each kind: the process is alive; every answer is 200 (acknowledged, nothing done) or a 4xx;
 * nothing was posted, updated or opened in Slack; no scan, request or checklist item was stored; AWS
 * received no call; no error was logged and no request logged more than one line. The only traces a
 * mutant may leave are the ones a real click on a stale button, or a reason form submitted for a
 * finding no longer on record, leaves: a private "this is no longer on record" reply to the clicker
 * and the audit's record of the refused attempt.
 */
import { fuzzSuite } from './support/fuzz-suite';

fuzzSuite(50);
