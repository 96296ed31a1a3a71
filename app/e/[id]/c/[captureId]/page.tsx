import { notFound } from "next/navigation";
import { CaptureDetailView } from "@/components/inspector/capture-detail";
import { pageEndpoint } from "@/lib/http/page";
import { getCapture } from "@/lib/capture/store";
import { AppError } from "@/lib/errors";

export default async function CapturePage({ params }: { params: Promise<{ id: string; captureId: string }> }) {
  const { id, captureId: rawCaptureId } = await params;
  // Layouts and pages render in parallel: the page checks the caller too, and that the capture is
  // one of this endpoint's.
  const { principal, endpoint } = await pageEndpoint(decodeURIComponent(id));
  const captureId = decodeURIComponent(rawCaptureId);
  const capture = await getCapture(principal, captureId).catch((err: unknown) => {
    if (err instanceof AppError && err.status === 404) return null;
    throw err;
  });
  if (!capture || capture.endpointId !== endpoint.id) notFound();
  return <CaptureDetailView endpointId={endpoint.id} captureId={captureId} />;
}
