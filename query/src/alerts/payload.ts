import type { AlertRule, IssueSummary, Project } from '@faultline/storage';
import { shortId } from '../routes/issues.ts';

/** The JSON a webhook receives (docs/alerts.md). `text` makes it a valid Slack incoming-webhook message. */
export interface AlertPayload {
  rule: { id: string; name: string; kind: AlertRule['kind'] };
  project: { id: number; slug: string };
  issue: {
    id: string;
    shortId: string;
    title: string;
    culprit: string;
    level: string;
    count: number;
    userCount: number;
    firstSeen: string;
    lastSeen: string;
    url: string;
  } | null;
  /** Only on `POST …/alerts/{alertId}/test`. */
  test?: true;
  /** Instead of `issue`, when a run has more occurrences than the rule may send one by one. */
  summary?: { count: number; url: string; issues: Array<{ id: string; shortId: string; title: string; url: string }> };
  text: string;
}

/** The UI deep link of an issue (the contract's `/projects/{project}/issues/{issueId}`). */
export function issueUrl(publicUrl: string, project: Project, issueId: string): string {
  return `${publicUrl}/projects/${encodeURIComponent(project.slug)}/issues/${issueId}`;
}

/** Slack reads `&`, `<` and `>` as markup (`<url|label>`); an error title holds them often (`Map<K, V>`). */
function slackEscape(text: string): string {
  return text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;');
}

function headline(rule: AlertRule, events: number | undefined): string {
  if (rule.kind === 'new_issue') return 'New issue';
  if (rule.kind === 'regression') return 'Regression';
  return `Spike: ${events ?? rule.threshold} events in ${rule.windowMinutes} min`;
}

export function alertPayload(publicUrl: string, rule: AlertRule, project: Project, issue: IssueSummary, spikeEvents?: number): AlertPayload {
  const url = issueUrl(publicUrl, project, issue.id);
  const id = shortId(project, issue.id);
  const where = issue.culprit ? ` in ${issue.culprit}` : '';
  // One line: newlines inside a title would break the message apart in chat clients.
  const text = `[${project.slug}] ${headline(rule, spikeEvents)} ${id}: ${issue.title}${where} (${issue.count} events, ${issue.userCount} users) ${url}`.replace(/\s*\n\s*/g, ' ');
  return {
    rule: { id: rule.id, name: rule.name, kind: rule.kind },
    project: { id: project.id, slug: project.slug },
    issue: {
      id: issue.id,
      shortId: id,
      title: issue.title,
      culprit: issue.culprit,
      level: issue.level,
      count: issue.count,
      userCount: issue.userCount,
      firstSeen: issue.firstSeen,
      lastSeen: issue.lastSeen,
      url,
    },
    text: slackEscape(text),
  };
}

/** Issues named in a summary; the rest are behind its link. */
const SUMMARY_ISSUES = 20;

const SUMMARY_WORDS: Record<AlertRule['kind'], [one: string, many: string]> = {
  new_issue: ['new issue', 'new issues'],
  regression: ['regression', 'regressions'],
  issue_spike: ['spiking issue', 'spiking issues'],
};

/** One notification for the occurrences past a rule's per-run cap, linking to the issues list. */
export function summaryPayload(publicUrl: string, rule: AlertRule, project: Project, issues: readonly IssueSummary[]): AlertPayload {
  const sort = rule.kind === 'new_issue' ? 'firstSeen' : rule.kind === 'issue_spike' ? 'events' : 'lastSeen';
  const url = `${publicUrl}/projects/${encodeURIComponent(project.slug)}/issues?status=all&sort=${sort}`;
  const [one, many] = SUMMARY_WORDS[rule.kind];
  const noun = issues.length === 1 ? one : many;
  return {
    rule: { id: rule.id, name: rule.name, kind: rule.kind },
    project: { id: project.id, slug: project.slug },
    issue: null,
    summary: {
      count: issues.length,
      url,
      issues: issues.slice(0, SUMMARY_ISSUES).map((i) => ({ id: i.id, shortId: shortId(project, i.id), title: i.title, url: issueUrl(publicUrl, project, i.id) })),
    },
    text: slackEscape(`[${project.slug}] ${issues.length} more ${noun} (more than this rule sends one by one) ${url}`),
  };
}

export function testPayload(rule: AlertRule, project: Project): AlertPayload {
  return {
    rule: { id: rule.id, name: rule.name, kind: rule.kind },
    project: { id: project.id, slug: project.slug },
    issue: null,
    test: true,
    text: slackEscape(`[${project.slug}] Test notification from Faultline alert rule "${rule.name}" (${rule.kind})`),
  };
}
