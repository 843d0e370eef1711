import {
  NEXT_RELEASE_PREFIX,
  compareReleases,
  listReleaseRows,
  packageOf,
  parseResolution,
  parseSemver,
  releaseFirstSeen,
  type Database,
  type IssueSummary,
} from '@faultline/storage';
import { badRequest } from '../http.ts';

/** The resolution as the API answers it (the `next:` marker of storage becomes `resolvedInNextRelease`). */
export function resolutionOut(stored: string): { resolvedInRelease: string; resolvedInNextRelease: boolean } {
  const { release, next } = parseResolution(stored);
  return { resolvedInRelease: release, resolvedInNextRelease: next };
}

/**
 * A release to resolve in must order against the events' releases: a semantic version always does (also one not
 * deployed yet: "fixed in 1.4.0"), anything else only by when Faultline first saw it, so an unseen one is refused —
 * it would regress on the next event of any release.
 */
export async function checkKnownRelease(db: Database, projectId: number, release: string): Promise<void> {
  if (release.startsWith(NEXT_RELEASE_PREFIX)) throw badRequest(`body field "resolvedInRelease": use resolvedInNextRelease instead of "${NEXT_RELEASE_PREFIX}…"`);
  if (parseSemver(release) !== null) return;
  if (!(await releaseFirstSeen(db, projectId, [release])).has(release)) {
    throw badRequest(
      `body field "resolvedInRelease": release "${release}" is not a semantic version and has not been seen in this project`,
    );
  }
}

/**
 * The release "next" counts from: the newest release of the issue's latest release's package (`shop@…`), so an
 * issue last seen in shop@1.2.0 while shop@1.3.0 is already out is fixed in what follows 1.3.0.
 */
export async function nextReleaseBase(db: Database, projectId: number, issue: IssueSummary): Promise<string> {
  if (issue.lastRelease === '')
    throw badRequest('body field "resolvedInNextRelease": the issue\'s events carry no release to resolve after');
  const pkg = packageOf(issue.lastRelease);
  if (pkg === null) return issue.lastRelease;
  const rows = (await listReleaseRows(db, projectId)).filter((r) => packageOf(r.version) === pkg);
  const firstSeen = new Map(rows.map((r) => [r.version, Date.parse(r.firstSeen)]));
  return rows.reduce((best, r) => (compareReleases(r.version, best, firstSeen) > 0 ? r.version : best), issue.lastRelease);
}
