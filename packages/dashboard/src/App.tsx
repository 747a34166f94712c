import { Route, Routes } from "react-router";
import { RunPage } from "./pages/RunPage";
import { RunsPage } from "./pages/RunsPage";

export function App() {
  return (
    <>
      <header className="topbar">
        <h1>Flightrec</h1>
      </header>
      <main>
        <Routes>
          <Route path="/" element={<RunsPage />} />
          <Route path="/runs/:runId" element={<RunPage />} />
        </Routes>
      </main>
    </>
  );
}
