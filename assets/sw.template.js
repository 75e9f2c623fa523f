// WebIM's service worker (written into dist/ by `cargo xtask`'s release build, with the
// build's files and version filled in). It keeps the app's files so the app opens without
// a network: pages are asked of the network first (a server writes its settings into the
// page) and answered from the cache when it is away; the hashed files come from the cache.
// The protocol's requests are never touched: the database is the server's, not ours.
// The embedded service's worker files (EMBEDDED) are kept only when a static host's page
// registered this worker (`sw.js?embedded`): behind a server they are never downloaded.
const VERSION = "__VERSION__";
const FILES = __FILES__;
const EMBEDDED = __EMBEDDED__;
const CACHE = `webim-${VERSION}`;
const PROTOCOL = [/^\/v[34]\//, /^\/login$/, /^\/demo\/login$/, /^\/webim\/config$/, /^\/(healthz|readyz|metrics)$/];

self.addEventListener("install", (event) => {
  event.waitUntil((async () => {
    const cache = await caches.open(CACHE);
    const embedded = new URL(self.location.href).searchParams.has("embedded");
    await cache.addAll(["/", ...FILES, ...(embedded ? EMBEDDED : [])]);
  })());
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches.keys()
      .then((keys) => Promise.all(keys.filter((k) => k.startsWith("webim-") && k !== CACHE).map((k) => caches.delete(k))))
      .then(() => self.clients.claim()),
  );
});

// The page asks a waiting worker to take over when the person agrees to reload.
self.addEventListener("message", (event) => {
  if (event.data === "skip-waiting") self.skipWaiting();
});

self.addEventListener("fetch", (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (request.method !== "GET" || url.origin !== self.location.origin) return;
  if (PROTOCOL.some((p) => p.test(url.pathname))) return;
  if (request.mode === "navigate") {
    event.respondWith(
      fetch(request)
        .then((response) => {
          if (response.ok) {
            const copy = response.clone();
            caches.open(CACHE).then((cache) => cache.put("/", copy));
          }
          return response;
        })
        .catch(() => caches.match("/")),
    );
    return;
  }
  if (EMBEDDED.includes(url.pathname)) {
    event.respondWith(
      caches.match(url.pathname).then((hit) => hit || fetch(request).then((response) => {
        if (response.ok) {
          const copy = response.clone();
          caches.open(CACHE).then((cache) => cache.put(url.pathname, copy));
        }
        return response;
      })),
    );
    return;
  }
  event.respondWith(caches.match(request).then((hit) => hit || fetch(request)));
});

// A click on a notification opens its conversation in the tab of the account it was for
// (two tabs may be two people): each tab is asked, and the one that answers yes is focused.
// With no such tab, the app opens in a new one.
self.addEventListener("notificationclick", (event) => {
  event.notification.close();
  const { me, peer } = event.notification.data || {};
  if (!me || !peer) return;
  event.waitUntil((async () => {
    const windows = await self.clients.matchAll({ type: "window", includeUncontrolled: true });
    for (const client of windows) {
      if (await asks(client, { type: "webim-open", me, peer })) {
        // Only a click the person made may focus a tab.
        await client.focus().catch(() => {});
        return;
      }
    }
    await self.clients.openWindow(`/chat/${encodeURIComponent(peer)}`).catch(() => {});
  })());
});

// Posts `message` to a tab and resolves with whether it answered `true` (within a second).
function asks(client, message) {
  return new Promise((resolve) => {
    const channel = new MessageChannel();
    const timer = setTimeout(() => resolve(false), 1000);
    channel.port1.onmessage = (reply) => {
      clearTimeout(timer);
      resolve(reply.data === true);
    };
    client.postMessage(message, [channel.port2]);
  });
}
