// User feedback (GET …/feedback, …/issues/{id}/feedback), normalized: untrusted fields become safe values.
import { records, str } from '../format/metrics.ts';
import { getJson } from './client.ts';

export interface UserFeedback {
  id: string;
  timestamp: string;
  eventId: string;
  issueId: string | null;
  name: string;
  email: string;
  message: string;
  url: string;
  source: string;
  release: string;
  environment: string;
}

const seg = encodeURIComponent;

function normalize(body: { feedback?: unknown }): UserFeedback[] {
  return records(body.feedback).map((f) => ({
    id: str(f.id),
    timestamp: str(f.timestamp),
    eventId: str(f.eventId),
    issueId: typeof f.issueId === 'string' && f.issueId !== '' ? f.issueId : null,
    name: str(f.name),
    email: str(f.email),
    message: str(f.message),
    url: str(f.url),
    source: str(f.source),
    release: str(f.release),
    environment: str(f.environment),
  }));
}

export async function listFeedback(project: string, limit: number, signal?: AbortSignal): Promise<UserFeedback[]> {
  return normalize(await getJson(`/projects/${seg(project)}/feedback?limit=${limit}`, signal));
}

export async function listIssueFeedback(project: string, issueId: string, limit: number, signal?: AbortSignal): Promise<UserFeedback[]> {
  return normalize(await getJson(`/projects/${seg(project)}/issues/${seg(issueId)}/feedback?limit=${limit}`, signal));
}
