export { parseStackTrace, type ParsedException, type StackTraceHint } from './stacktrace.ts';
export { groupingKey, defaultGrouping, hashComponents, type GroupingKey, type GroupingInput, type GroupingStrategy } from './grouping.ts';
export { issueTitle, culpritOf, type IssueTitle } from './titles.ts';
export { normalizeMessage, normalizeFilename, normalizeFunction, normalizeModule } from './normalize.ts';
