/** Placeholder; the generated `large` scenario is filled in below. */
export function generateLargeScenario(_now: Date): unknown {
  return {};
}
