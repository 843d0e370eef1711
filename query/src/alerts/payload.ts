import type { AlertRule, IssueSummary, Project, ServiceBreach } from '@faultline/storage';
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
  /** Service rules: the service that crossed the threshold (then `issue` is null). */
  service?: ServiceAlert;
  /** A service rule's all-clear: the service is back under the threshold (or has no calls in the window). */
  resolved?: true;
  /** Only on `POST …/alerts/{alertId}/test`. */
  test?: true;
  /** Instead of `issue`, when a run has more occurrences than the rule may send one by one. */
  summary?: { count: number; url: string; issues: Array<{ id: string; shortId: string; title: string; url: string }>; services?: ServiceAlert[] };
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
  service_error_rate: ['service over its error rate', 'services over their error rate'],
  service_latency_p95: ['service over its p95', 'services over their p95'],
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

export interface ServiceAlert {
  name: string;
  /** The figure that crossed the threshold: error rate in percent, or p95 in ms (rounded to 0.1). */
  value: number;
  threshold: number;
  windowMinutes: number;
  calls: number;
  errors: number;
  p95DurationNano: string;
  /** The service page over the hour (at least three windows) before the alert and half an hour after. */
  url: string;
}

/** The contract's service deep link `/projects/{project}/services/{service}`, with the time around the alert. */
export function serviceUrl(publicUrl: string, project: Project, service: string, rule: AlertRule, atMs: number): string {
  const before = Math.max(60, 3 * rule.windowMinutes) * 60_000;
  return `${publicUrl}/projects/${encodeURIComponent(project.slug)}/services/${encodeURIComponent(service)}?start=${atMs - before}&end=${atMs + 30 * 60_000}`;
}

function serviceAlert(publicUrl: string, rule: AlertRule, project: Project, b: ServiceBreach, atMs: number): ServiceAlert {
  return {
    name: b.service,
    value: Math.round(b.value * 10) / 10,
    threshold: rule.threshold,
    windowMinutes: rule.windowMinutes,
    calls: b.calls,
    errors: b.errors,
    p95DurationNano: String(Math.round(b.p95DurationNano)),
    url: serviceUrl(publicUrl, project, b.service, rule, atMs),
  };
}

function serviceLine(rule: AlertRule, s: ServiceAlert): string {
  const figure = rule.kind === 'service_error_rate' ? `error rate ${s.value} % (threshold ${s.threshold} %)` : `p95 ${s.value} ms (threshold ${s.threshold} ms)`;
  return `${s.name} ${figure} over the last ${s.windowMinutes} min, ${s.calls} calls`;
}

export function servicePayload(publicUrl: string, rule: AlertRule, project: Project, breach: ServiceBreach, atMs: number): AlertPayload {
  const service = serviceAlert(publicUrl, rule, project, breach, atMs);
  return {
    rule: { id: rule.id, name: rule.name, kind: rule.kind },
    project: { id: project.id, slug: project.slug },
    issue: null,
    service,
    text: slackEscape(`[${project.slug}] ${serviceLine(rule, service)} ${service.url}`.replace(/\s*\n\s*/g, ' ')),
  };
}

/** The all-clear of a service alert: its figure now (null when the service made no calls in the window). */
export function serviceResolvedPayload(publicUrl: string, rule: AlertRule, project: Project, service: string, now: ServiceBreach | null, atMs: number): AlertPayload {
  const figure = now ?? { service, value: 0, calls: 0, errors: 0, errorRate: 0, p95DurationNano: 0 };
  const alert = serviceAlert(publicUrl, rule, project, figure, atMs);
  const what = now ? serviceLine(rule, alert) : `${service} made no calls in the last ${rule.windowMinutes} min`;
  return {
    rule: { id: rule.id, name: rule.name, kind: rule.kind },
    project: { id: project.id, slug: project.slug },
    issue: null,
    service: alert,
    resolved: true,
    text: slackEscape(`[${project.slug}] Resolved: ${what} ${alert.url}`.replace(/\s*\n\s*/g, ' ')),
  };
}

/** The services past a rule's per-run cap in one notification, linking to the services overview. */
export function serviceSummaryPayload(publicUrl: string, rule: AlertRule, project: Project, breaches: readonly ServiceBreach[], atMs: number): AlertPayload {
  const url = `${publicUrl}/projects/${encodeURIComponent(project.slug)}/services`;
  const [one, many] = SUMMARY_WORDS[rule.kind];
  return {
    rule: { id: rule.id, name: rule.name, kind: rule.kind },
    project: { id: project.id, slug: project.slug },
    issue: null,
    summary: { count: breaches.length, url, issues: [], services: breaches.slice(0, SUMMARY_ISSUES).map((b) => serviceAlert(publicUrl, rule, project, b, atMs)) },
    text: slackEscape(`[${project.slug}] ${breaches.length} more ${breaches.length === 1 ? one : many} (more than this rule sends one by one) ${url}`),
  };
}
