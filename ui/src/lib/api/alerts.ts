// Alert rules of /api/v1 (docs/alerts.md): list and firings for every token, writes and tests for admin tokens.
import { ApiError, getJson, send } from './client.ts';
import { normalizeFiring, normalizeFirings, normalizeRule, normalizeRules, type AlertFiring, type AlertRule } from '../alerts/model.ts';

export type { AlertFiring, AlertRule } from '../alerts/model.ts';

const seg = encodeURIComponent;
const base = (project: string): string => `/projects/${seg(project)}/alerts`;

function rule(raw: unknown): AlertRule {
  const r = normalizeRule(raw);
  if (!r) throw new ApiError(0, 'bad_answer', 'The server answered without a rule id');
  return r;
}

export async function listAlerts(project: string, signal?: AbortSignal): Promise<AlertRule[]> {
  return normalizeRules(await getJson<unknown>(base(project), signal));
}

/** POST a rule; a 400 names the offending field (`body field "threshold": …`). */
export async function createAlert(project: string, body: Record<string, unknown>): Promise<AlertRule> {
  const res = await send(base(project), { method: 'POST', body });
  return rule(await res.json());
}

export async function updateAlert(project: string, alertId: string, body: Record<string, unknown>): Promise<AlertRule> {
  const res = await send(`${base(project)}/${seg(alertId)}`, { method: 'PATCH', body });
  return rule(await res.json());
}

export async function deleteAlert(project: string, alertId: string): Promise<void> {
  await send(`${base(project)}/${seg(alertId)}`, { method: 'DELETE' });
}

/** The rule's latest notifications (and tests), newest first. */
export async function listFirings(project: string, alertId: string, signal?: AbortSignal, limit = 50): Promise<AlertFiring[]> {
  return normalizeFirings(await getJson<unknown>(`${base(project)}/${seg(alertId)}/firings?limit=${limit}`, signal));
}

/** Sends a test notification now (one attempt, up to 5 s) and resolves to its recorded outcome. */
export async function testAlert(project: string, alertId: string): Promise<AlertFiring> {
  const res = await send(`${base(project)}/${seg(alertId)}/test`, { method: 'POST' });
  return normalizeFiring(await res.json());
}

