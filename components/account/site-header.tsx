import Link from "next/link";
import { ThemeToggle } from "../theme-toggle";
import { AccountMenu } from "./account-menu";

/** The top bar of the account, settings and invite pages. */
export function SiteHeader() {
  return (
    <header className="border-b border-zinc-200 dark:border-zinc-800">
      <div className="mx-auto flex max-w-4xl items-center justify-between gap-3 px-4 py-3 sm:px-6">
        <Link href="/" className="font-semibold tracking-tight">
          Hookscope
        </Link>
        <div className="flex items-center gap-2">
          <AccountMenu />
          <ThemeToggle />
        </div>
      </div>
    </header>
  );
}
