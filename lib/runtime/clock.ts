// The wall clock as Node provides it. Once its server loads, Next.js wraps Date.now to notice
// clock reads while it prerenders (each call then looks up two AsyncLocalStorage stores). The
// capture door reads the clock several times per request, never inside a render, so it uses the
// function captured here when the custom server first loads this module, before Next's server.
export const now: () => number = Date.now;
