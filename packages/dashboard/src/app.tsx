import { Suspense } from "react";
import { NavLink, Route, Routes, useLocation } from "react-router";
import { ConnectionBanner } from "./components/connection-banner";
import { PageBoundary } from "./components/page-boundary";
import { Shortcuts } from "./components/shortcuts";
import { Loading } from "./components/states";
import { ThemeToggle } from "./components/theme-toggle";
import { LazyPage, pageLoader } from "./lazy-page";
import { NotFoundPage } from "./pages/not-found-page";
import { RunsPage } from "./pages/runs-page";

// Only the run list is in the main bundle, so it paints first; every other page loads its code
// when opened (the replay's starts in boot.ts when the tab opens on a run).
const runPage = pageLoader(() => import("./pages/run-page").then((m) => m.RunPage));
const failuresPage = pageLoader(() => import("./pages/failures-page").then((m) => m.FailuresPage));
const usagePage = pageLoader(() => import("./pages/usage-page").then((m) => m.UsagePage));
const comparePage = pageLoader(() => import("./pages/compare-page").then((m) => m.ComparePage));
const sqlPage = pageLoader(() => import("./pages/sql-page").then((m) => m.SqlPage));

export function App() {
  const location = useLocation();
  return (
    <>
      <header className="topbar">
        <h1>
          <NavLink to="/">Flightrec</NavLink>
        </h1>
        <nav aria-label="Sections">
          <NavLink to="/" end>
            Runs
          </NavLink>
          <NavLink to="/failures">Failures</NavLink>
          <NavLink to="/usage">Cost &amp; usage</NavLink>
          <NavLink to="/sql">SQL</NavLink>
        </nav>
        <span className="muted topbar-hint">
          <kbd>?</kbd> shortcuts
        </span>
        <ThemeToggle />
      </header>
      <Shortcuts />
      <ConnectionBanner />
      <main>
        <PageBoundary key={location.pathname}>
          <Suspense fallback={<Loading what="page" />}>
            <Routes>
              <Route path="/" element={<RunsPage />} />
              <Route path="/runs/:runId" element={<LazyPage loader={runPage} />} />
              <Route path="/compare" element={<LazyPage loader={comparePage} />} />
              <Route path="/failures" element={<LazyPage loader={failuresPage} />} />
              <Route path="/usage" element={<LazyPage loader={usagePage} />} />
              <Route path="/sql" element={<LazyPage loader={sqlPage} />} />
              <Route path="*" element={<NotFoundPage />} />
            </Routes>
          </Suspense>
        </PageBoundary>
      </main>
    </>
  );
}
