/* The service worker, served at /sw.js (scope "/") by WhiteNoise from kexie/root/ (WHITENOISE_ROOT): a file,
   no session, no database, as the browser fetches it again on every navigation to check for an update.
   Workbox 7.4.1, vendored in static/vendor/workbox/ (docs/design.md, "Offline logging"). It serves the logging
   form's page and the static files it needs when there is no connection; static/js/offline.js fills these
   caches at each visit online and empties them at logout. No other page is cached: nothing else with personal
   data stays on the phone. */

// Workbox by its version in the URL: nginx caches /static/ for a year as immutable, so a new Workbox is a new
// URL (change VERSION with the files; a changed sw.js is installed by the browser on its next check).
const WORKBOX = "/static/vendor/workbox/";
const VERSION = "7.4.1";
importScripts(`${WORKBOX}workbox-sw.js?v=${VERSION}`);
workbox.setConfig({ modulePathCb: (name) => `${WORKBOX}${name}.prod.js?v=${VERSION}`, debug: false });

const FORM_PATH = "/liaison/records/new/"; // reverse("liaison:record_create"), checked by a test
const STATIC_PREFIX = "/static/";

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
