"use client";

import Link from "next/link";
import useSWR from "swr";

interface EndpointSummary {
  id: string;
  name: string;
  url: string;
  createdAt: string;
}

async function fetchEndpoints(url: string): Promise<EndpointSummary[]> {
  const res = await fetch(url, { headers: { accept: "application/json" } });
  const body = (await res.json()) as { endpoints?: EndpointSummary[]; error?: { message: string } };
  if (!res.ok) throw new Error(body.error?.message ?? `HTTP ${res.status}`);
  return body.endpoints ?? [];
}

/** The visitor's endpoints (those their owner cookie can see), newest first. */
export function YourEndpoints() {
  const { data, error, isLoading } = useSWR("/api/endpoints", fetchEndpoints);
  if (isLoading) return <p className="text-sm text-zinc-500">Loading your endpoints…</p>;
  if (error) {
    return (
      <p role="alert" className="text-sm text-rose-600 dark:text-rose-400">
        Could not load your endpoints: {error instanceof Error ? error.message : String(error)}
      </p>
    );
  }
  if (!data?.length) return null;
  return (
    <section aria-labelledby="your-endpoints" className="space-y-2">
      <h2 id="your-endpoints" className="text-sm font-semibold uppercase tracking-wide text-zinc-500">
        Your endpoints
      </h2>
      <ul className="divide-y divide-zinc-200 rounded-md border border-zinc-200 dark:divide-zinc-800 dark:border-zinc-800">
        {data.map((e) => (
          <li key={e.id}>
            <Link href={`/e/${encodeURIComponent(e.id)}`} className="block px-3 py-2 hover:bg-zinc-50 dark:hover:bg-zinc-900">
              <span className="font-medium">{e.name}</span>
              <span className="ml-2 break-all font-mono text-xs text-zinc-500">{e.url}</span>
            </Link>
          </li>
        ))}
      </ul>
    </section>
  );
}
