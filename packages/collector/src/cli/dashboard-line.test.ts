import { describe, expect, it } from "vitest";
import { dashboardLine } from "./dashboard-line.js";

describe("the dashboard line serve prints", () => {
  it("gives the address as it listens on loopback", () => {
    expect(dashboardLine("http://127.0.0.1:4318", false)).toBe("Dashboard: http://127.0.0.1:4318/");
  });

  it("names the machine, not 0.0.0.0 or ::, when it listens everywhere, and says the token goes in once", () => {
    expect(dashboardLine("http://0.0.0.0:4318", true, "collector-1")).toBe(
      "Dashboard: http://collector-1:4318/ (on this machine http://127.0.0.1:4318/; open it once with ?token=<the token>)",
    );
    expect(dashboardLine("http://[::]:4318", false, "collector-1")).toBe(
      "Dashboard: http://collector-1:4318/ (on this machine http://127.0.0.1:4318/)",
    );
  });
});
