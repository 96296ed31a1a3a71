// A free loopback port for a test server: the OS picks one, or, on a machine shared by several
// runs, one in TEST_PORTS ("4100-4199").
import { createServer } from "node:net";

/** Ports fetch() refuses (the Fetch standard's "bad ports") inside ranges tests may be given. */
const BAD_PORTS = new Set([4190, 5060, 5061, 6000, 6566, 6665, 6666, 6667, 6668, 6669, 6697, 10080]);

function tryPort(wanted: number): Promise<number | null> {
  return new Promise((resolve) => {
    const srv = createServer();
    srv.once("error", () => resolve(null));
    srv.listen(wanted, "127.0.0.1", () => {
      const address = srv.address();
      const port = typeof address === "object" && address ? address.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

/** 0 (the server picks) when TEST_PORTS is unset; else a port of the range that is free now. */
export async function testPort(): Promise<number> {
  const range = /^(\d+)-(\d+)$/.exec(process.env.TEST_PORTS ?? "");
  if (!range) return 0;
  const [low, high] = [Number(range[1]), Number(range[2])];
  const size = high - low + 1;
  const start = Math.floor(Math.random() * size);
  for (let i = 0; i < size; i++) {
    const candidate = low + ((start + i) % size);
    if (BAD_PORTS.has(candidate)) continue;
    const port = await tryPort(candidate);
    if (port) return port;
  }
  throw new Error(`no free port in TEST_PORTS=${process.env.TEST_PORTS}`);
}

/** A free port: in TEST_PORTS when set, else any the OS gives. */
export async function freePort(): Promise<number> {
  return (await testPort()) || ((await tryPort(0)) ?? 0);
}
