// A single-page app: rendered in the browser only, every path served the same fallback page.
export const ssr = false;
export const prerender = false;
export const trailingSlash = 'never';
