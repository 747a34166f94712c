import { type ComponentType, use } from "react";

const RETRIES = 2;
const RETRY_DELAY_MS = 400;

/** Pages whose code failed to load; a retry forgets the failure so the next render loads again. */
const failed = new Set<() => void>();

/** A page's code, loaded on first use and kept; see `LazyPage`. */
export interface PageLoader {
  loaded(): ComponentType | null;
  load(): Promise<ComponentType>;
}

/**
 * A page whose code loads on first render, like React.lazy, but a failed load (collector down,
 * or a tab older than the build whose chunk names changed) is retried a few times and then
 * thrown to the page's error boundary, which can ask for another try (`retryFailedPages`);
 * React.lazy would keep the failure for the life of the tab.
 */
export function pageLoader(load: () => Promise<ComponentType>): PageLoader {
  let loaded: ComponentType | null = null;
  let pending: Promise<ComponentType> | null = null;
  const forget = () => {
    pending = null;
    failed.delete(forget);
  };
  return {
    loaded: () => loaded,
    load: () => {
      pending ??= loadWithRetry(load).then(
        (component) => {
          loaded = component;
          return component;
        },
        (error: unknown) => {
          failed.add(forget);
          throw error;
        },
      );
      return pending;
    },
  };
}

/** Renders the loader's page, suspending while its code loads. */
export function LazyPage({ loader }: { loader: PageLoader }) {
  const Page = loader.loaded() ?? use(loader.load());
  return <Page />;
}

export function retryFailedPages(): void {
  for (const forget of [...failed]) forget();
}

async function loadWithRetry<T>(load: () => Promise<T>): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await load();
    } catch (error) {
      if (attempt >= RETRIES) throw error;
      await new Promise((resolve) => setTimeout(resolve, RETRY_DELAY_MS * (attempt + 1)));
    }
  }
}

/** What a browser throws when a module's code could not be fetched or was not JavaScript. */
export function isChunkLoadError(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  return /dynamically imported module|Importing a module script failed|error loading dynamically imported module|Unable to preload CSS/i.test(
    error.message,
  );
}
