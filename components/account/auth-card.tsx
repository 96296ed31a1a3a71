import { SiteHeader } from "./site-header";

/** The frame of the sign-in, sign-up and invite pages: header, then one centred card. */
export function AuthCard({ title, children }: { title: string; children: React.ReactNode }) {
  return (
    <>
      <SiteHeader />
      <main className="mx-auto max-w-md px-4 py-10 sm:py-16">
        <div className="space-y-5 rounded-lg border border-zinc-200 p-5 sm:p-6 dark:border-zinc-800">
          <h1 className="text-xl font-semibold tracking-tight">{title}</h1>
          {children}
        </div>
      </main>
    </>
  );
}
