import { EndpointIntro } from "@/components/inspector/endpoint-intro";

export default async function EndpointPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  return <EndpointIntro endpointId={decodeURIComponent(id)} />;
}
