// ALTCHA's strict-CSP build ships no workers: register the one our challenges use (SHA-256),
// served from our own origin. Loaded after altcha.min.js, which defines globalThis.$altcha.
const worker = new URL("./altcha/sha.js", import.meta.url);
globalThis.$altcha.algorithms.set("SHA-256", () => new Worker(worker));
