import { CaptureDetailView } from "@/components/inspector/capture-detail";

export default async function CapturePage({ params }: { params: Promise<{ id: string; captureId: string }> }) {
  const { id, captureId } = await params;
  return <CaptureDetailView endpointId={decodeURIComponent(id)} captureId={decodeURIComponent(captureId)} />;
}
