import { describe, expect, it } from "vitest";
import { runCli, SJUHARAD } from "./helpers.js";

// One golden file per rendered output: any change to a figure or the layout shows in review.
describe.each([
  ["2013", "text"],
  ["2011", "text"],
  ["2013", "md"],
  ["2011", "md"],
  ["2013", "json"],
])("consolidate %s --format %s", (year, format) => {
  it("matches its golden output", async () => {
    const r = await runCli([year, "--dir", "fixtures/sjuharad", "--format", format]);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    await expect(r.stdout).toMatchFileSnapshot(`golden/sjuharad-${year}.${format === "text" ? "txt" : format}`);
  });
});

it("reports in kronor and in mnkr (with one decimal, as Swedish reports give mnkr) on request", async () => {
  const kr = await runCli(["2013", "--dir", SJUHARAD, "--unit", "kr"]);
  expect(kr.stdout).toMatch(/Årets resultat +2\u00a0702\u00a0100 +912\u00a0100\n/);
  expect(kr.stdout).toContain("Interna poster på 1\u00a0141\u00a0800 kr för 2013 och 1\u00a0973\u00a0000 kr för 2012");
  const mnkr = await runCli(["2013", "--dir", SJUHARAD, "--unit", "mnkr"]);
  expect(mnkr.stdout).toContain("belopp i mnkr");
  expect(mnkr.stdout).toMatch(/\nVerksamhetens intäkter +1 +29,7 +39,1\n/);
  expect(mnkr.stdout).toMatch(/\nFinansiella kostnader +7 +−0,7 +0,0\n/); // −16 tkr is 0,0 mnkr, not −0,0
  expect(mnkr.stdout).toMatch(/\nSumma tillgångar +59,0 +55,6\n/);
  expect(mnkr.stdout).toContain("Interna poster på 1,1 mnkr för 2013 och 2,0 mnkr för 2012");
});
