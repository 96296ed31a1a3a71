import { ShareLinkInvalid } from "@/components/inspector/share-invalid";

export default function ShareNotFound() {
  return <ShareLinkInvalid />;
}
