import { useEffect } from "react";

/** The tab's title while a page is shown, so tabs and history tell pages (and runs) apart. */
export function useDocumentTitle(title: string): void {
  useEffect(() => {
    document.title = `${title} · Flightrec`;
  }, [title]);
}
