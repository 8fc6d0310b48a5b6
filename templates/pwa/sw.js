/* The service worker (served by kexie/views.py at /sw.js, scope "/"): Workbox 7, vendored in
   static/vendor/workbox/ (docs/design.md, "Offline logging"). It serves the logging form's page and the static
   files it needs when there is no connection; static/js/offline.js fills these caches at each visit online
   and empties them at logout. No other page is cached: nothing else with personal data stays on the phone. */
importScripts("{{ workbox }}workbox-sw.js");
workbox.setConfig({ modulePathPrefix: "{{ workbox }}", debug: false });

const FORM_PATH = "{{ form_path }}";
const STATIC_PREFIX = "{{ static_prefix }}";

// The form's page is kept under its path alone (?team=… or ?queued=… open the same page) and never when the
// answer was the login page (an expired session redirects there).
const pathOnly = {
  cacheKeyWillBeUsed: async ({ request }) => {
    const url = new URL(request.url);
    url.search = "";
    return url.href;
  },
};
const realPageOnly = {
  cacheWillUpdate: async ({ response }) =>
    response && response.status === 200 && !response.redirected ? response : null,
};

workbox.routing.registerRoute(
  ({ request, url }) => request.mode === "navigate" && url.pathname === FORM_PATH,
  new workbox.strategies.NetworkFirst({
    cacheName: "kexie-form",
    networkTimeoutSeconds: 8,
    plugins: [pathOnly, realPageOnly],
  }),
);

workbox.routing.registerRoute(
  ({ url }) => url.origin === self.location.origin && url.pathname.startsWith(STATIC_PREFIX),
  new workbox.strategies.StaleWhileRevalidate({
    cacheName: "kexie-static",
    plugins: [
      new workbox.cacheableResponse.CacheableResponsePlugin({ statuses: [200] }),
      new workbox.expiration.ExpirationPlugin({ maxEntries: 60 }),
    ],
  }),
);

self.addEventListener("install", () => self.skipWaiting());
workbox.core.clientsClaim();
