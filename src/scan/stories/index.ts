/** Stories above findings: see build.ts. */
export { buildStories, type StoryInput } from './build';
export type { PlanPhase, PlanStep, Story, StoryEntry, StoryEvent, StoryFootprint } from './model';
export { PLAN_PHASES } from './model';
export { targetKey } from './target-key';
export { shortTime, usd } from './summary';
