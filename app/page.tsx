import { CreateEndpointButton } from "@/components/create-endpoint-button";
import { ThemeToggle } from "@/components/theme-toggle";
import { YourEndpoints } from "@/components/your-endpoints";

export default function HomePage() {
  return (
    <main className="mx-auto max-w-2xl space-y-6 px-6 py-16">
      <div className="flex items-center justify-between">
        <h1 className="text-3xl font-semibold tracking-tight">Hookscope</h1>
        <ThemeToggle />
      </div>
      <p className="text-zinc-600 dark:text-zinc-400">
        Capture URLs that record every request exactly as it was sent: any method, headers in wire order, the body
        byte for byte.
      </p>
      <CreateEndpointButton />
      <YourEndpoints />
    </main>
  );
}
