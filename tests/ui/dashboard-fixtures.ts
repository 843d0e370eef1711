// What the dashboard browser tests share: admin API calls, saving searches, finding a panel by its title.
import type { Page } from 'playwright-core';
import { expect } from 'vitest';
import type { Faultline } from '../harness.ts';

/** A request to the query API with the instance admin token. */
export async function adminApi(fl: Faultline, method: string, path: string, body?: unknown): Promise<Response> {
  return fetch(`${fl.api}/api/v1${path}`, {
    method,
    headers: { authorization: `Bearer ${fl.token}`, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
}

/** Saves a search of one page of a project; its id. */
export async function saveSearch(fl: Faultline, search: { project?: string; page: 'traces' | 'logs' | 'issues'; name: string; query: string }): Promise<string> {
  const { project = 'default', ...body } = search;
  const res = await adminApi(fl, 'POST', `/projects/${project}/saved-searches`, body);
  expect(res.status).toBe(201);
  return ((await res.json()) as { id: string }).id;
}

/** The dashboard panel titled `name`. */
export const dashboardPanel = (page: Page, name: string) =>
  page.locator('[data-testid="dashboard-panel"]', { has: page.locator(`[data-testid="dashboard-panel-title"]:text-is("${name}")`) });
