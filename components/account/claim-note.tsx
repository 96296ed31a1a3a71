/** Tells a visitor that the endpoints they made without an account will be kept. */
export function ClaimNote({ count, action }: { count: number; action: "sign up" | "sign in" }) {
  if (count === 0 && action === "sign in") return null;
  return (
    <p
      data-testid="claim-note"
      className="rounded-md bg-indigo-50 px-3 py-2 text-sm text-indigo-900 dark:bg-indigo-950/60 dark:text-indigo-200"
    >
      {count > 0
        ? `The ${count === 1 ? "endpoint" : `${count} endpoints`} you made in this browser without an account will be kept: when you ${action}, ${count === 1 ? "it moves" : "they move"} into your personal workspace and no longer ${count === 1 ? "expires" : "expire"}.`
        : "Endpoints you make in this browser before signing up are kept: they move into your personal workspace and stop expiring."}
    </p>
  );
}
