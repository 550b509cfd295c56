import js from "@eslint/js";
import { createTypeScriptImportResolver } from "eslint-import-resolver-typescript";
import importX from "eslint-plugin-import-x";
import tseslint from "typescript-eslint";

// The stages of the data flow, in order. A stage may import from earlier stages only:
// read → validate → model → consolidate → report → render → cli (domain is below them all).
const STAGES = ["domain", "read", "validate", "model", "consolidate", "report", "render", "cli"];
// Exceptions where a later stage needs nothing from an earlier one (keep them out entirely).
const FORBIDDEN_EXTRA = {
  consolidate: ["read", "validate"],
  report: ["read", "validate"],
  render: ["read", "validate", "model", "consolidate"],
};
const zones = STAGES.flatMap((stage, i) => [
  ...STAGES.slice(i + 1).map((later) => ({
    target: `./src/${stage}`,
    from: `./src/${later}`,
    message: `${stage} comes before ${later} in the data flow; imports flow one way.`,
  })),
  ...(FORBIDDEN_EXTRA[stage] ?? []).map((earlier) => ({
    target: `./src/${stage}`,
    from: `./src/${earlier}`,
    message: `${stage} works on the model, not on files: keep ${earlier} out of it.`,
  })),
]);

export default tseslint.config(
  { ignores: ["dist/", "node_modules/", "coverage/"] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ["**/*.ts"],
    plugins: { "import-x": importX },
    settings: { "import-x/resolver-next": [createTypeScriptImportResolver({ project: "./tsconfig.json" })] },
    rules: {
      "import-x/no-restricted-paths": ["error", { zones }],
      "@typescript-eslint/no-unused-vars": [
        "error",
        { argsIgnorePattern: "^_", varsIgnorePattern: "^_", destructuredArrayIgnorePattern: "^_" },
      ],
    },
  },
  {
    files: ["**/*.js", "**/*.mjs"],
    languageOptions: { globals: { process: "readonly", console: "readonly", URL: "readonly" } },
  },
);
