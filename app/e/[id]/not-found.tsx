// A capture page of a visible endpoint whose capture is not there (deleted, or of another endpoint).
export default function CaptureNotFound() {
  return (
    <div className="space-y-3 p-6">
      <h2 className="text-lg font-semibold">Capture not found</h2>
      <p role="alert" className="text-sm text-zinc-600 dark:text-zinc-400">
        This capture does not exist or was deleted. Pick another one from the list.
      </p>
    </div>
  );
}
