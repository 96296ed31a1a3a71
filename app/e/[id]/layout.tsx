import { InspectorShell } from "@/components/inspector/inspector-shell";

export default async function EndpointLayout({ params, children }: { params: Promise<{ id: string }>; children: React.ReactNode }) {
  const { id } = await params;
  return <InspectorShell endpointId={decodeURIComponent(id)}>{children}</InspectorShell>;
}
