/* The service worker (served by kexie/views.py at /sw.js, scope "/"): Workbox 7, vendored in
   static/vendor/workbox/ (docs/design.md, "Offline logging"). It serves the logging form's page and the static
   files it needs when there is no connection; static/js/offline.js fills these caches at each visit online
   and empties them at logout. No other page is cached: nothing else with personal data stays on the phone. */
importScripts("{{ workbox_sw }}");
const WORKBOX_MODULES = {{ modules|safe }};
workbox.setConfig({ modulePathCb: (name) => WORKBOX_MODULES[name], debug: false });

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

// Static files: from the network, from the cache only when there is none. The form's page put its files in
// this cache (static/js/offline.js); nothing is written here, so a page after logout leaves nothing behind.
workbox.routing.registerRoute(
  ({ url }) => url.origin === self.location.origin && url.pathname.startsWith(STATIC_PREFIX),
  ({ request }) =>
    fetch(request).catch(() =>
      caches.match(request, { cacheName: "kexie-static" }).then((hit) => hit || Response.error()),
    ),
);

self.addEventListener("install", () => self.skipWaiting());
workbox.core.clientsClaim();
