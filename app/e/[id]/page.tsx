import { EndpointIntro } from "@/components/inspector/endpoint-intro";
import { pageEndpoint } from "@/lib/http/page";

export default async function EndpointPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  // Layouts and pages render in parallel: each checks on its own.
  const { endpoint } = await pageEndpoint(decodeURIComponent(id));
  return <EndpointIntro endpointId={endpoint.id} />;
}
