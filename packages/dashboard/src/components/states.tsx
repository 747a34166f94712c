import { errorMessage } from "../api/api-error";

export function Loading({ what }: { what: string }) {
  return (
    <p className="state state-loading" aria-busy="true">
      Loading {what}…
    </p>
  );
}

export function ErrorState({ what, error }: { what: string; error: unknown }) {
  return (
    <div className="state state-error" role="alert">
      <strong>Could not load {what}.</strong> <span>{errorMessage(error)}</span>
    </div>
  );
}

export function Empty({ children }: { children: React.ReactNode }) {
  return <div className="state state-empty">{children}</div>;
}
