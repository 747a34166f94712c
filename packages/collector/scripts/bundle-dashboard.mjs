// Runs before and after `pnpm pack` / `pnpm publish`: the collector's tarball carries the built
// dashboard in `dashboard/`, so `npx @flightrec/collector serve` serves it. The dashboard is built
// after the collector (its tests use the collector), so the copy is made at pack time, not build time.
import { cpSync, existsSync, rmSync } from "node:fs";
import { fileURLToPath } from "node:url";

const target = fileURLToPath(new URL("../dashboard/", import.meta.url));
const source = fileURLToPath(new URL("../../dashboard/dist/", import.meta.url));

rmSync(target, { recursive: true, force: true });
if (process.argv[2] !== "--remove") {
  if (!existsSync(`${source}index.html`)) {
    console.error(`bundle-dashboard: ${source}index.html is missing; run pnpm build first`);
    process.exit(1);
  }
  cpSync(source, target, { recursive: true });
}
