import Link from "next/link";

// Any /e/<id> page the caller may not see: the same answer for an endpoint that does not exist,
// was deleted, expired, or belongs to someone else (never a hint that it exists).
export default function EndpointNotFound() {
  return (
    <main className="mx-auto flex min-h-dvh max-w-lg flex-col justify-center gap-4 p-6">
      <h1 className="text-lg font-semibold">Endpoint not found</h1>
      <p role="alert" className="text-sm text-zinc-600 dark:text-zinc-400">
        This endpoint does not exist, has expired or was deleted, or you do not have access to it. Endpoints made without an account belong
        to the browser that created them; sign in if it belongs to your workspace.
      </p>
      <Link
        href="/"
        className="self-start rounded-md bg-zinc-900 px-3 py-1.5 text-sm font-medium text-white dark:bg-zinc-100 dark:text-zinc-900"
      >
        Create a new capture URL
      </Link>
    </main>
  );
}
