import { Component, type ReactNode, useEffect } from "react";
import { errorMessage } from "../api/api-error";
import { isChunkLoadError, retryFailedPages } from "../lazy-page";

const PROBE_MS = 2000;

interface State {
  error: unknown;
  /** A retry was made while the collector answered: the chunk is gone, not just unreachable. */
  retriedWhileUp: boolean;
}

/**
 * Keeps a page's failure inside the page: the top bar and every other page keep working. Keyed
 * by the location, so navigating away (or Back) starts clean.
 */
export class PageBoundary extends Component<{ children: ReactNode }, State> {
  override state: State = { error: null, retriedWhileUp: false };

  static getDerivedStateFromError(error: unknown): Partial<State> {
    return { error };
  }

  retry = (whileUp: boolean) => {
    retryFailedPages();
    this.setState({ error: null, retriedWhileUp: whileUp });
  };

  override render() {
    const { error, retriedWhileUp } = this.state;
    if (error === null) return this.props.children;
    if (isChunkLoadError(error)) {
      return <ChunkError error={error} retriedWhileUp={retriedWhileUp} onRetry={this.retry} />;
    }
    return (
      <section className="page">
        <div className="state state-error" role="alert">
          <strong>This page failed.</strong> <span>{errorMessage(error)}</span>{" "}
          <button type="button" onClick={() => this.retry(false)}>
            Try again
          </button>
        </div>
      </section>
    );
  }
}

interface ChunkErrorProps {
  error: unknown;
  retriedWhileUp: boolean;
  onRetry: (whileUp: boolean) => void;
}

/**
 * A page whose code did not load. While the collector is down it waits for it and tries again
 * by itself; if the code is still missing with the collector up, the tab is older than the
 * dashboard it talks to, and only a reload helps.
 */
function ChunkError({ error, retriedWhileUp, onRetry }: ChunkErrorProps) {
  useEffect(() => {
    if (retriedWhileUp) return;
    let done = false;
    const probe = () =>
      fetch("/health", { cache: "no-store" }).then(
        (res) => {
          void res.body?.cancel();
          if (!done) onRetry(true);
          done = true;
        },
        () => {},
      );
    void probe();
    const timer = setInterval(probe, PROBE_MS);
    return () => {
      done = true;
      clearInterval(timer);
    };
  }, [retriedWhileUp, onRetry]);

  return (
    <section className="page">
      <div className="state state-error" role="alert" data-testid="page-load-error">
        <strong>This page could not be loaded.</strong>{" "}
        <span>
          {retriedWhileUp
            ? "The collector answers but no longer has this page's code: the dashboard was probably updated since this tab opened. Reload to get the current version."
            : "The collector does not answer; the page loads by itself when it is back."}
        </span>
        <div className="actions">
          <button type="button" onClick={() => onRetry(false)}>
            Try again
          </button>
          <button type="button" onClick={() => window.location.reload()}>
            Reload
          </button>
        </div>
        <p className="muted mono">{errorMessage(error)}</p>
      </div>
    </section>
  );
}
