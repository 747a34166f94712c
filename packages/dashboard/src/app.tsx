import { lazy, Suspense } from "react";
import { NavLink, Route, Routes } from "react-router";
import { Loading } from "./components/states";
import { FailuresPage } from "./pages/failures-page";
import { NotFoundPage } from "./pages/not-found-page";
import { RunPage } from "./pages/run-page";
import { RunsPage } from "./pages/runs-page";

// Charts are heavy; they load when the usage page is opened, not with the replay.
const UsagePage = lazy(() => import("./pages/usage-page").then((m) => ({ default: m.UsagePage })));
const ComparePage = lazy(() => import("./pages/compare-page").then((m) => ({ default: m.ComparePage })));
const SqlPage = lazy(() => import("./pages/sql-page").then((m) => ({ default: m.SqlPage })));

export function App() {
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
      </header>
      <main>
        <Suspense fallback={<Loading what="page" />}>
          <Routes>
            <Route path="/" element={<RunsPage />} />
            <Route path="/runs/:runId" element={<RunPage />} />
            <Route path="/compare" element={<ComparePage />} />
            <Route path="/failures" element={<FailuresPage />} />
            <Route path="/usage" element={<UsagePage />} />
            <Route path="/sql" element={<SqlPage />} />
            <Route path="*" element={<NotFoundPage />} />
          </Routes>
        </Suspense>
      </main>
    </>
  );
}
