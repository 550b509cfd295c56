import js from "@eslint/js";
import tseslint from "typescript-eslint";

// The stages of the data flow, in order: read → validate → model → consolidate → report → render
// → cli, with domain below them all. A stage imports from earlier stages only, and the pure
// stages stay away from files: consolidate and report work on the model, render on the report.
const STAGES = ["domain", "read", "validate", "model", "consolidate", "report", "render", "cli"];
const AWAY_FROM = {
  consolidate: ["read", "validate"],
  report: ["read", "validate"],
  render: ["read", "validate", "model", "consolidate"],
};
const stageRules = STAGES.map((stage, i) => {
  const forbidden = [...STAGES.slice(i + 1), ...(AWAY_FROM[stage] ?? [])];
  return {
    files: [`src/${stage}/**/*.ts`],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          patterns: forbidden.map((other) => ({
            group: [`../${other}/*`],
            message: `src/${stage} may not import src/${other}: imports flow one way through the stages (see eslint.config.js).`,
          })),
        },
      ],
    },
  };
});

export default tseslint.config(
  { ignores: ["dist/", "node_modules/", "coverage/"] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ["**/*.ts"],
    rules: {
      "@typescript-eslint/no-unused-vars": [
        "error",
        { argsIgnorePattern: "^_", varsIgnorePattern: "^_", destructuredArrayIgnorePattern: "^_" },
      ],
    },
  },
  ...stageRules,
  {
    files: ["**/*.js", "**/*.mjs"],
    languageOptions: { globals: { process: "readonly", console: "readonly", URL: "readonly", Buffer: "readonly" } },
  },
);
