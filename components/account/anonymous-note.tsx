import Link from "next/link";
import { LocalDate } from "./local-date";

/** For visitors without an account: when their endpoints go, and how to keep them. */
export function AnonymousNote({ expiresAt }: { expiresAt: string }) {
  return (
    <p
      data-testid="anonymous-note"
      className="rounded-md border border-amber-300 bg-amber-50 px-3 py-2 text-sm text-amber-900 dark:border-amber-800 dark:bg-amber-950/50 dark:text-amber-200"
    >
      Anonymous endpoints expire on <LocalDate iso={expiresAt} />;{" "}
      <Link href="/signup" className="font-medium underline">
        sign up
      </Link>{" "}
      to keep them (or{" "}
      <Link href="/signin" className="font-medium underline">
        sign in
      </Link>
      ).
    </p>
  );
}
