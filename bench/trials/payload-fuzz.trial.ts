/** Item 2 of issue 14 at volume: every kind of Slack payload mutated 1,000 times (the test suite runs 50 of each). */
import { fuzzSuite } from '../../test/fuzz/support/fuzz-suite';

jest.setTimeout(600_000);

fuzzSuite(1000);
