// Alert rule and firing wire types of /api/v1/projects/{p}/alerts, their normalization, the create / edit form's
// body and the API's 400 messages per form field. Pure.
import { num, str } from '../format/metrics.ts';

export const ALERT_KINDS = ['new_issue', 'regression', 'issue_spike', 'service_error_rate', 'service_latency_p95'] as const;

/** Kinds that take a threshold and a window (the others fire once per issue or reopening). */
const WITH_NUMBERS = new Set<string>(['issue_spike', 'service_error_rate', 'service_latency_p95']);
/** Kinds that watch a service's RED figures instead of issues. */
export const isServiceKind = (kind: string): boolean => kind === 'service_error_rate' || kind === 'service_latency_p95';
export const ALERT_LEVELS = ['fatal', 'error', 'warning', 'info', 'debug'] as const;

export interface AlertRule {
  id: string;
  name: string;
  /** One of ALERT_KINDS, or a kind a newer server added (shown as is). */
  kind: string;
  /** Spike: events within `windowMinutes`; service rules: error rate in percent or p95 in ms (else null). */
  threshold: number | null;
  windowMinutes: number | null;
  environment: string | null;
  level: string | null;
  /** Service rules: the service watched (null = each service). */
  service: string | null;
  /** The whole URL for admin tokens; only `origin/…` for read tokens. */
  webhookUrl: string;
  createdAt: string;
}

/** `summarized`: delivered inside one summary notification (past the rule's per-run cap). */
export type FiringStatus = 'pending' | 'delivered' | 'failed' | 'summarized';

export interface AlertFiring {
  /** null for a test notification and service rules. */
  issueId: string | null;
  /** Service rules: the service that crossed the threshold. */
  service: string | null;
  /** The issue's title (null for a test notification or an issue no longer found). */
  issueTitle: string | null;
  dedupeKey: string;
  status: FiringStatus;
  httpStatus: number | null;
  attempts: number;
  error: string | null;
  firedAt: string;
  finishedAt: string | null;
}

/** The create / edit form: text as typed, so the API (not the browser) judges every value. */
export interface RuleForm {
  name: string;
  kind: string;
  threshold: string;
  windowMinutes: string;
  environment: string;
  level: string;
  service: string;
  webhookUrl: string;
}

export const RULE_FIELDS = ['name', 'kind', 'threshold', 'windowMinutes', 'environment', 'level', 'service', 'webhookUrl'] as const;
export type RuleField = (typeof RULE_FIELDS)[number];

const record = (v: unknown): Record<string, unknown> => (typeof v === 'object' && v !== null ? v : {}) as Record<string, unknown>;
const textOrNull = (v: unknown): string | null => (typeof v === 'string' && v !== '' ? v : null);
const positiveInt = (v: unknown): number | null => {
  const n = num(v, NaN);
  return Number.isInteger(n) && n > 0 ? n : null;
};

/** One rule from untrusted JSON; null without an id (nothing to edit, test or delete). */
export function normalizeRule(raw: unknown): AlertRule | null {
  const r = record(raw);
  const id = str(r.id);
  if (id === '') return null;
  const kind = str(r.kind) || 'new_issue';
  const numbers = WITH_NUMBERS.has(kind);
  return {
    id,
    name: str(r.name),
    kind,
    threshold: numbers ? positiveInt(r.threshold) : null,
    windowMinutes: numbers ? positiveInt(r.windowMinutes) : null,
    environment: textOrNull(r.environment),
    level: textOrNull(r.level),
    service: isServiceKind(kind) ? textOrNull(r.service) : null,
    webhookUrl: str(r.webhookUrl),
    createdAt: str(r.createdAt),
  };
}

/** GET …/alerts: rows without an id and repeated ids (keyed list) are dropped. */
export function normalizeRules(raw: unknown): AlertRule[] {
  const list = record(raw).alerts;
  const seen = new Set<string>();
  const out: AlertRule[] = [];
  for (const item of Array.isArray(list) ? list : []) {
    const rule = normalizeRule(item);
    if (!rule || seen.has(rule.id)) continue;
    seen.add(rule.id);
    out.push(rule);
  }
  return out;
}

/** An unknown status reads as pending: the UI must never claim a delivery the server did not report. */
export function normalizeFiring(raw: unknown): AlertFiring {
  const r = record(raw);
  const status: FiringStatus = r.status === 'delivered' || r.status === 'failed' || r.status === 'summarized' ? r.status : 'pending';
  return {
    issueId: textOrNull(r.issueId),
    service: textOrNull(r.service),
    issueTitle: textOrNull(r.issueTitle),
    dedupeKey: str(r.dedupeKey),
    status,
    httpStatus: positiveInt(r.httpStatus),
    attempts: Math.max(0, Math.trunc(num(r.attempts))),
    error: textOrNull(r.error),
    firedAt: str(r.firedAt),
    finishedAt: textOrNull(r.finishedAt),
  };
}

/** GET …/firings, newest first as sent; repeated dedupe keys are dropped (keyed list). */
export function normalizeFirings(raw: unknown): AlertFiring[] {
  const list = record(raw).firings;
  const seen = new Set<string>();
  const out: AlertFiring[] = [];
  for (const item of Array.isArray(list) ? list : []) {
    const firing = normalizeFiring(item);
    const key = firing.dedupeKey || `${firing.firedAt}:${firing.issueId ?? ''}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push({ ...firing, dedupeKey: key });
  }
  return out;
}

/** "New issue", "Regression", "Spike: ≥ 50 events in 10 min", "Error rate ≥ 5 % in 10 min", "p95 ≥ 800 ms in 5 min". */
export function kindText(rule: Pick<AlertRule, 'kind' | 'threshold' | 'windowMinutes'>): string {
  const window = `in ${rule.windowMinutes ?? '?'} min`;
  if (rule.kind === 'new_issue') return 'New issue';
  if (rule.kind === 'regression') return 'Regression';
  if (rule.kind === 'issue_spike') return `Spike: ≥ ${rule.threshold ?? '?'} events ${window}`;
  if (rule.kind === 'service_error_rate') return `Error rate ≥ ${rule.threshold ?? '?'} % ${window}`;
  if (rule.kind === 'service_latency_p95') return `p95 ≥ ${rule.threshold ?? '?'} ms ${window}`;
  return rule.kind;
}

/** "env prod · level error", or "all events" without filters; service rules: "service checkout" or "each service". */
export function filtersText(rule: Pick<AlertRule, 'kind' | 'environment' | 'level' | 'service'>): string {
  if (isServiceKind(rule.kind)) return rule.service ? `service ${rule.service}` : 'each service';
  const parts = [rule.environment ? `env ${rule.environment}` : '', rule.level ? `level ${rule.level}` : ''].filter(Boolean);
  return parts.length > 0 ? parts.join(' · ') : 'all events';
}

/** Where a webhook points; the list never shows a path, which usually holds the receiver's secret. */
export function webhookOrigin(url: string): string {
  try {
    const origin = new URL(url).origin;
    return origin === 'null' ? '…' : origin;
  } catch {
    return '…';
  }
}

/** "delivered · HTTP 200 · 1 attempt", "failed · HTTP 500 · 3 attempts · HTTP 500" … */
export function outcomeText(f: Pick<AlertFiring, 'status' | 'httpStatus' | 'attempts' | 'error'>): string {
  const parts: string[] = [f.status];
  if (f.httpStatus !== null) parts.push(`HTTP ${f.httpStatus}`);
  parts.push(`${f.attempts} attempt${f.attempts === 1 ? '' : 's'}`);
  if (f.error && f.error !== `HTTP ${f.httpStatus}`) parts.push(f.error);
  return parts.join(' · ');
}

export function emptyForm(): RuleForm {
  return { name: '', kind: 'new_issue', threshold: '', windowMinutes: '', environment: '', level: '', service: '', webhookUrl: '' };
}

export function formFromRule(rule: AlertRule): RuleForm {
  return {
    name: rule.name,
    kind: rule.kind,
    threshold: rule.threshold === null ? '' : String(rule.threshold),
    windowMinutes: rule.windowMinutes === null ? '' : String(rule.windowMinutes),
    environment: rule.environment ?? '',
    level: rule.level ?? '',
    service: rule.service ?? '',
    webhookUrl: rule.webhookUrl,
  };
}

/** A typed number as a number; anything else goes as typed, so the API's 400 names the field. */
function numberField(text: string): number | string | null {
  const t = text.trim();
  if (t === '') return null;
  return /^-?\d+(\.\d+)?$/.test(t) ? Number(t) : t;
}

/**
 * The POST / PATCH body of a form: every field (PATCH then replaces the whole rule), null clearing a filter and the
 * fields the kind does not take (threshold and window for new / regressed issues; environment and level for
 * service rules, the service for issue rules).
 */
export function bodyFromForm(form: RuleForm): Record<string, unknown> {
  const numbers = WITH_NUMBERS.has(form.kind);
  const service = isServiceKind(form.kind);
  const text = (value: string, applies: boolean): string | null => (applies && value.trim() !== '' ? value.trim() : null);
  return {
    name: form.name,
    kind: form.kind,
    threshold: numbers ? numberField(form.threshold) : null,
    windowMinutes: numbers ? numberField(form.windowMinutes) : null,
    environment: text(form.environment, !service),
    level: !service && form.level !== '' ? form.level : null,
    service: text(form.service, service),
    webhookUrl: form.webhookUrl.trim(),
  };
}

export interface FormErrors {
  fields: Partial<Record<RuleField, string[]>>;
  /** Messages that name no form field. */
  other: string[];
}

/**
 * Splits a 400 message (`body field "threshold": must be positive; body field "name": …`) by form field, so each
 * message sits next to its input.
 */
export function formErrors(message: string): FormErrors {
  const out: FormErrors = { fields: {}, other: [] };
  for (const part of message.split(/;\s+(?=body field )/)) {
    const m = /^body field "([^"]+)": (.*)$/s.exec(part.trim());
    const field = RULE_FIELDS.find((f) => f === m?.[1]);
    if (m && field) (out.fields[field] ??= []).push(m[2] ?? '');
    else if (part.trim() !== '') out.other.push(part.trim());
  }
  return out;
}
