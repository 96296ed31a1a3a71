"use client";
// The header's account corner: "Sign in" / "Sign up" for visitors; for a signed-in user a
// disclosure button with their name that opens links to settings and their workspaces, and
// "Sign out". Escape and a click outside close it.
import Link from "next/link";
import { usePathname } from "next/navigation";
import { useEffect, useId, useRef, useState } from "react";
import { withCallback } from "../../lib/http/safe-callback";
import { SignOutButton } from "./sign-out-button";
import { useMe } from "./use-me";

const ITEM = "block w-full rounded px-3 py-1.5 text-left text-sm hover:bg-zinc-100 dark:hover:bg-zinc-800";

export function AccountMenu() {
  const { data: me, isLoading } = useMe();
  const pathname = usePathname();
  const [open, setOpen] = useState(false);
  const panelId = useId();
  const root = useRef<HTMLDivElement>(null);

  useEffect(() => {
    if (!open) return;
    const onDown = (e: PointerEvent) => {
      if (root.current && !root.current.contains(e.target as Node)) setOpen(false);
    };
    const onKey = (e: KeyboardEvent) => {
      if (e.key === "Escape") setOpen(false);
    };
    document.addEventListener("pointerdown", onDown);
    document.addEventListener("keydown", onKey);
    return () => {
      document.removeEventListener("pointerdown", onDown);
      document.removeEventListener("keydown", onKey);
    };
  }, [open]);

  if (isLoading || !me) return <span className="inline-block h-7 w-28" aria-hidden />;

  if (me.kind !== "user" || !me.user) {
    // Come back here after signing in, except from the sign-in pages themselves.
    const back = pathname === "/signin" || pathname === "/signup" ? "/" : pathname;
    return (
      <nav aria-label="Account" className="flex items-center gap-2 text-sm">
        <Link href={withCallback("/signin", back)} className="rounded-md px-2 py-1 font-medium hover:bg-zinc-100 dark:hover:bg-zinc-800">
          Sign in
        </Link>
        <Link
          href={withCallback("/signup", back)}
          className="rounded-md bg-zinc-900 px-2.5 py-1 font-medium text-white hover:bg-zinc-700 dark:bg-zinc-100 dark:text-zinc-900 dark:hover:bg-zinc-300"
        >
          Sign up
        </Link>
      </nav>
    );
  }

  const label = me.user.name || me.user.email || "Account";
  const teams = me.workspaces;
  return (
    <div ref={root} className="relative">
      <button
        type="button"
        aria-expanded={open}
        aria-controls={panelId}
        onClick={() => setOpen((o) => !o)}
        className="flex max-w-[14rem] items-center gap-1.5 rounded-md border border-zinc-300 px-2 py-1 text-sm hover:bg-zinc-100 dark:border-zinc-700 dark:hover:bg-zinc-800"
      >
        <span
          aria-hidden
          className="flex h-5 w-5 shrink-0 items-center justify-center rounded-full bg-indigo-600 text-[11px] font-semibold uppercase text-white"
        >
          {label.slice(0, 1)}
        </span>
        <span className="truncate">{label}</span>
        <span aria-hidden className="text-xs text-zinc-500">
          ▾
        </span>
      </button>
      {open ? (
        <div
          id={panelId}
          className="absolute right-0 z-20 mt-1 w-64 space-y-1 rounded-lg border border-zinc-200 bg-white p-1.5 shadow-lg dark:border-zinc-800 dark:bg-zinc-950"
        >
          <div className="px-3 py-1.5">
            <p className="truncate text-sm font-medium">{me.user.name}</p>
            <p className="truncate text-xs text-zinc-500">{me.user.email}</p>
          </div>
          <hr className="border-zinc-200 dark:border-zinc-800" />
          <nav aria-label="Account">
            <Link href="/settings" className={ITEM} onClick={() => setOpen(false)}>
              Settings
            </Link>
            <p className="px-3 pb-0.5 pt-2 text-[11px] font-medium uppercase tracking-wide text-zinc-500">Workspaces</p>
            {teams.map((w) => (
              <Link
                key={w.id}
                href={`/w/${encodeURIComponent(w.id)}/settings`}
                className={`${ITEM} flex items-baseline gap-2 text-zinc-700 dark:text-zinc-300`}
                onClick={() => setOpen(false)}
              >
                <span className="min-w-0 flex-1 truncate">{w.personal ? "Personal" : w.name}</span>
                <span className="shrink-0 text-xs text-zinc-500">{w.role}</span>
              </Link>
            ))}
          </nav>
          <hr className="border-zinc-200 dark:border-zinc-800" />
          <SignOutButton className={`${ITEM} disabled:opacity-60`} />
        </div>
      ) : null}
    </div>
  );
}
