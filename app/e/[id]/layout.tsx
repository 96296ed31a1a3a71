import { InspectorShell } from "@/components/inspector/inspector-shell";
import { pageEndpoint } from "@/lib/http/page";

// Authorized on the server: an endpoint the caller may not see is the 404 page (app/e/not-found),
// exactly like one that does not exist.
export default async function EndpointLayout({ params, children }: { params: Promise<{ id: string }>; children: React.ReactNode }) {
  const { id } = await params;
  const { endpoint } = await pageEndpoint(decodeURIComponent(id));
  return <InspectorShell endpointId={endpoint.id}>{children}</InspectorShell>;
}
