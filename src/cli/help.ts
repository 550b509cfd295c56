/** The texts of `consolidate` with no arguments, of each command's --help, and shell completion. */

export const USAGE = `consolidate: consolidated annual accounts of a Swedish public-sector group, from its ledgers

  consolidate 2013 --dir WORKSPACE            the report of 2013: statements, notes, the prior year
  consolidate 2013 kansli.se navet.se         the same straight from SIE exports
  consolidate check [2013] --dir WORKSPACE    every problem of the ledgers at once
  consolidate 2013 --period jan-aug           a part of the year, beside the same part of the year before
  consolidate balances 2013 --dir WORKSPACE   the saldobalans: every account, per entity and for the group
  consolidate interim 2013 --period jan-aug --forecast prognos.csv
                                              the delårsrapport with the full-year forecast
  consolidate explain 2013 income/verksamhetens-intakter --vouchers
                                              a figure down to its accounts and vouchers
  consolidate fees 2013 --dir WORKSPACE       members' fees against the fee models
  consolidate init DIR --from-sie FILE.se …   a workspace to edit, made from SIE exports
  consolidate completion bash|zsh             shell completion

Run \`consolidate --help\` for the commands, \`consolidate <command> --help\` for a command's options.
`;

const EXIT_CODES = `
Exit codes:
  0  done (warnings may have been printed)
  1  the data has errors (each printed with file, line and column)
  2  the command cannot run: a wrong option, a missing workspace or file, an output
     that cannot be written (a full disk)
  3  an internal error of the tool (please report it); --debug adds the stack trace`;

/** Examples and exit codes after each command's options. */
export const AFTER_HELP: Readonly<Record<string, string>> = {
  report: `
Examples:
  consolidate 2013 --dir fixtures/sjuharad
  consolidate 2013 --dir fixtures/sjuharad --out sjuharad-2013.xlsx     (format from the extension)
  consolidate 2013 --dir fixtures/sjuharad --format md --unit kr
  consolidate 2013 --dir fixtures/sjuharad --budget
  consolidate 2013 --dir fixtures/sjuharad --period jan-aug             (also 2013-01..2013-08, T2, Q3, H1)
  consolidate 2013 kansli.se navet.se mc.se --name "Sjuhärads kommunalförbund"
  consolidate 2009 bolag.se                 (a broken fiscal year 2009-07-01 – 2010-06-30)
${EXIT_CODES}`,
  check: `
Examples:
  consolidate check --dir fixtures/sjuharad                  every year of the workspace
  consolidate check 2013 --dir . --format github --strict    annotations for a pull request
  consolidate check 2013 kansli.se navet.se mc.se            SIE files straight
${EXIT_CODES}
  With --strict, warnings count as errors (exit 1).`,
  balances: `
Examples:
  consolidate balances 2013 --dir fixtures/sjuharad
  consolidate balances 2013 --dir fixtures/sjuharad --entity navet --period jan-aug
  consolidate balances 2013 --dir fixtures/sjuharad --out saldobalans-2013.xlsx

Each account with its name, the statement line it lands on, opening balance, debits, credits and
closing balance (kr, debit positive), per entity and for the group after elimination.
${EXIT_CODES}`,
  interim: `
Examples:
  consolidate interim 2013 --dir fixtures/sjuharad --period jan-aug
  consolidate interim 2013 --dir fixtures/sjuharad --period 2013-01..2013-08 --forecast kansli.csv navet.csv mc.csv
  consolidate interim 2013 --dir fixtures/sjuharad --period T2 --out delar-2013.xlsx

The statements of the part of the year beside the same part of the year before; with forecast
files (or the year's "forecasts" in consolidate.json) the full-year forecast per statement line
beside the budget and the outcome, what the forecast implies for the rest of the year, the deviation
from the budget and the balanskravsresultat it implies. Without a forecast the report says so.
${EXIT_CODES}`,
  explain: `
Examples:
  consolidate explain 2013 income/verksamhetens-intakter --dir fixtures/sjuharad
  consolidate explain 2013 income/verksamhetens-intakter --dir fixtures/sjuharad --vouchers
  consolidate explain 2013 "balance/Kassa" --dir fixtures/sjuharad             (by the start of a label)
  consolidate explain 2013 note/3/medlemsavgifter-bor --dir fixtures/sjuharad
  consolidate explain 2013 income/arets-resultat --dir fixtures/sjuharad --entity navet

The figure as the report prints it, each entity's accounts and counterparties, the internal items
eliminated from it, and with --vouchers every voucher line (file:line, date, voucher, text) and
opening balance; each level adds up to the figure, and the output says so (exit 1 if not).
${EXIT_CODES}`,
  fees: `
Examples:
  consolidate fees 2013 --dir fixtures/sjuharad
  consolidate fees 2013 --dir fixtures/sjuharad --out avgifter-2013.xlsx
${EXIT_CODES}`,
  init: `
Examples:
  consolidate init my-group --from-sie sie/2013/kansli.se sie/2013/navet.se sie/2013/mc.se
  consolidate init my-group --from-sie sie/2013/forbund.se --units-dim 1 --motpart-dim 20

Writes consolidate.json, chart.csv (the accounts the files use) and layout.json (the built-in
layout, commented, to adapt); never overwrites a workspace.
${EXIT_CODES}`,
  completion: `
Examples:
  consolidate completion bash >> ~/.bashrc
  consolidate completion zsh > "\${fpath[1]}/_consolidate"`,
};

const COMMANDS = "report check balances explain interim fees init completion";
const OPTIONS: Readonly<Record<string, string>> = {
  report:
    "--dir --format --out --unit --csv --bom --budget --period --force --no-color --units-dim --motpart-dim --name --jobs --debug --help",
  balances: "--dir --entity --period --force --format --out --unit --csv --bom --jobs --no-color --debug --help",
  explain: "--dir --entity --vouchers --period --format --out --no-color --debug --help",
  interim: "--dir --period --forecast --format --out --unit --csv --bom --force --no-color --jobs --debug --help",
  check: "--dir --format --strict --period --no-color --units-dim --motpart-dim --name --jobs --debug --help",
  fees: "--dir --format --out --unit --bom --no-color --debug --help",
  init: "--from-sie --units-dim --motpart-dim --name --debug --help",
  completion: "--help",
};
const VALUES: Readonly<Record<string, string>> = {
  "--format": "text md json csv xlsx html",
  "--unit": "kr tkr mnkr",
  "--csv": "rfc4180 excel-sv",
};

/** A bash completion script: commands, each command's options, option values, files and folders. */
function bash(): string {
  const cases = Object.entries(OPTIONS)
    .map(([c, o]) => `    ${c}) opts="${o}" ;;`)
    .join("\n");
  const values = Object.entries(VALUES)
    .map(([o, v]) => `    ${o}) COMPREPLY=($(compgen -W "${v}" -- "$cur")); return ;;`)
    .join("\n");
  return `# consolidate completion for bash: source it, or add it to ~/.bashrc
_consolidate() {
  local cur prev cmd opts
  cur="\${COMP_WORDS[COMP_CWORD]}"
  prev="\${COMP_WORDS[COMP_CWORD-1]}"
  case "$prev" in
${values}
    --dir|--out) COMPREPLY=($(compgen -f -- "$cur")); return ;;
  esac
  cmd=report
  for w in "\${COMP_WORDS[@]:1}"; do case "$w" in ${COMMANDS.replace(/ /g, "|")}) cmd="$w"; break ;; esac; done
  case "$cmd" in
${cases}
  esac
  if [[ "$cur" == -* ]]; then COMPREPLY=($(compgen -W "$opts" -- "$cur"));
  elif [[ $COMP_CWORD -eq 1 ]]; then COMPREPLY=($(compgen -W "${COMMANDS}" -- "$cur") $(compgen -f -- "$cur"));
  else COMPREPLY=($(compgen -f -- "$cur")); fi
}
complete -o filenames -F _consolidate consolidate
`;
}

/** A zsh completion script, through bash's (zsh reads bash completions with bashcompinit). */
function zsh(): string {
  return `#compdef consolidate
# consolidate completion for zsh
autoload -U +X bashcompinit && bashcompinit
${bash()}`;
}

export function completionScript(shell: string): string | undefined {
  return shell === "bash" ? bash() : shell === "zsh" ? zsh() : undefined;
}
