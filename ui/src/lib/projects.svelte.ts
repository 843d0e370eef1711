import type { ApiProject } from './api/types.ts';

// The projects the session can see, loaded once per sign-in by the top bar; pages read it to name the project
// a URL refers to (by slug or numeric id) in their titles.
export const projects = $state({ list: [] as ApiProject[] });

/** The slug of the project `ref` names (an id or a slug); `ref` itself while the list is unknown. */
export function projectSlug(ref: string): string {
  return projects.list.find((p) => p.slug === ref || String(p.id) === ref)?.slug ?? ref;
}
