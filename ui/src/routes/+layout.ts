// Pure SPA: no server rendering, no prerendering. adapter-static writes a fallback index.html.
export const ssr = false;
export const prerender = false;
