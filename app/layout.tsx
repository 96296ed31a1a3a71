import type { Metadata, Viewport } from "next";
import { cookies } from "next/headers";
import { connection } from "next/server";
import { THEME_COOKIE, parseTheme } from "@/components/theme";
import "./globals.css";

export const metadata: Metadata = {
  title: "Hookscope",
  description: "Capture, inspect, verify and replay webhooks, byte for byte.",
};

export const viewport: Viewport = { width: "device-width", initialScale: 1 };

// Pages render per request so each gets the CSP nonce that proxy.ts puts in the request.
export default async function RootLayout({ children }: { children: React.ReactNode }) {
  await connection();
  const theme = parseTheme((await cookies()).get(THEME_COOKIE)?.value);
  return (
    <html lang="en" className={theme === "system" ? undefined : theme}>
      <body className="min-h-screen bg-white text-zinc-900 antialiased dark:bg-zinc-950 dark:text-zinc-100">{children}</body>
    </html>
  );
}
