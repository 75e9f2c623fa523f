// WebIM's service worker (written into dist/ by `cargo xtask`'s release build, with the
// build's files and version filled in). It keeps the app's files so the app opens without
// a network: pages are asked of the network first (a server writes its settings into the
// page) and answered from the cache when it is away; the hashed files come from the cache.
// The protocol's requests are never touched: the database is the server's, not ours.
const VERSION = "__VERSION__";
const FILES = __FILES__;
const CACHE = `webim-${VERSION}`;
const PROTOCOL = [/^\/v[34]\//, /^\/login$/, /^\/demo\/login$/, /^\/webim\/config$/, /^\/(healthz|readyz|metrics)$/];

self.addEventListener("install", (event) => {
  event.waitUntil(caches.open(CACHE).then((cache) => cache.addAll(["/", ...FILES])));
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
  event.respondWith(caches.match(request).then((hit) => hit || fetch(request)));
});
