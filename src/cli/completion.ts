/**
 * `completion bash|zsh|fish`: a shell completion script, written from the program's own
 * declaration (its commands, their flags, the choices of a flag or argument), so that it names
 * what the program takes. Each script completes the command name, then the flags of that
 * command and the values of a flag with choices (`--output`, `--protocol`) or the shell names.
 */
import type { Argument, Command, Option } from 'commander';

/** The shells a script is written for. */
export const SHELLS = ['bash', 'zsh', 'fish'] as const;
export type Shell = (typeof SHELLS)[number];

/** What a script needs of one command. */
interface CommandSpec {
  name: string;
  description: string;
  options: readonly Option[];
  /** Its argument's name (`id`, `shell`), or `null` when it takes none. */
  argument: string | null;
  /** The choices of its argument, if it has any (completion's shell). */
  choices: readonly string[];
}

function specsOf(program: Command): CommandSpec[] {
  return program.commands.map((command) => {
    const argument = command.registeredArguments[0] as (Argument & { argChoices?: string[] }) | undefined;
    return {
      name: command.name(),
      description: command.description(),
      options: command.options.filter((option) => !option.hidden),
      argument: argument?.name() ?? null,
      choices: argument?.argChoices ?? [],
    };
  });
}

const flagsOf = (option: Option) => [option.short, option.long].filter((flag): flag is string => flag !== undefined);
const choicesOf = (option: Option) => option.argChoices ?? [];
/** A string in single quotes, for any of the three shells. */
const quote = (text: string) => `'${text.replaceAll("'", "'\\''")}'`;

/** The completion script of `shell` for `program`. */
export function completionScript(shell: Shell, program: Command): string {
  const name = program.name();
  const specs = specsOf(program);
  if (shell === 'bash') return bash(name, specs);
  return shell === 'zsh' ? zsh(name, specs) : fish(name, specs);
}

function bash(name: string, specs: CommandSpec[]): string {
  const fn = `_${name.replace(/\W/g, '_')}`;
  const valued = specs.flatMap((spec) => spec.options).filter((option) => choicesOf(option).length > 0);
  return `# bash completion for ${name}: source <(${name} completion bash)
${fn}() {
  local cur=\${COMP_WORDS[COMP_CWORD]} prev=\${COMP_WORDS[COMP_CWORD-1]} command= i
  for ((i = 1; i < COMP_CWORD; i++)); do
    case \${COMP_WORDS[i]} in
      ${specs.map((spec) => spec.name).join('|')}) command=\${COMP_WORDS[i]}; break ;;
    esac
  done
  case $prev in
${[...new Map(valued.map((option) => [flagsOf(option).join('|'), choicesOf(option)])).entries()].map(([flags, choices]) => `    ${flags}) COMPREPLY=($(compgen -W ${quote(choices.join(' '))} -- "$cur")); return ;;`).join('\n')}
  esac
  case $command in
${specs.map((spec) => `    ${spec.name}) COMPREPLY=($(compgen -W ${quote([...spec.choices, ...spec.options.flatMap(flagsOf), '--help'].join(' '))} -- "$cur")) ;;`).join('\n')}
    *) COMPREPLY=($(compgen -W ${quote([...specs.map((spec) => spec.name), '--help', '--version'].join(' '))} -- "$cur")) ;;
  esac
}
complete -F ${fn} ${name}
`;
}

/** A zsh `_arguments` spec of an option: `'(-o --output)'{-o,--output}'[what]:output:(text json yaml)'`. */
function zshOption(option: Option): string {
  const flags = flagsOf(option);
  const value =
    option.required || option.optional
      ? `:${option.attributeName()}:${choicesOf(option).length ? `(${choicesOf(option).join(' ')})` : ''}`
      : '';
  const rest = `[${option.description.replace(/[[\]\\]/g, '\\$&')}]${value}`;
  return flags.length > 1 ? `'(${flags.join(' ')})'{${flags.join(',')}}${quote(rest)}` : quote(`${flags[0]}${rest}`);
}

function zsh(name: string, specs: CommandSpec[]): string {
  const fn = `_${name.replace(/\W/g, '_')}`;
  return `#compdef ${name}
# zsh completion for ${name}: source <(${name} completion zsh), or save as ${fn} in a directory of $fpath
${fn}() {
  local -a commands=(
${specs.map((spec) => `    ${quote(`${spec.name}:${spec.description}`)}`).join('\n')}
  )
  if (( CURRENT == 2 )); then
    _describe command commands
    return
  fi
  case $words[2] in
${specs
  .map((spec) => {
    const argument = spec.argument === null ? [] : [`'1:${spec.argument}:${spec.choices.length ? `(${spec.choices.join(' ')})` : ''}'`];
    const args = [...spec.options.map(zshOption), ...argument];
    return `    ${spec.name}) shift words; (( CURRENT-- )); _arguments -s ${args.join(' ')} ;;`;
  })
  .join('\n')}
  esac
}
if [[ $zsh_eval_context[-1] == loadautofunc ]]; then ${fn} "$@"; else compdef ${fn} ${name}; fi
`;
}

function fish(name: string, specs: CommandSpec[]): string {
  const lines = [`# fish completion for ${name}: ${name} completion fish | source`, `complete -c ${name} -f`];
  for (const spec of specs) {
    lines.push(`complete -c ${name} -n __fish_use_subcommand -a ${spec.name} -d ${quote(spec.description)}`);
    const when = `-n '__fish_seen_subcommand_from ${spec.name}'`;
    if (spec.choices.length) lines.push(`complete -c ${name} ${when} -a ${quote(spec.choices.join(' '))}`);
    for (const option of spec.options) {
      const short = option.short ? ` -s ${option.short.slice(1)}` : '';
      const value = choicesOf(option).length ? ` -x -a ${quote(choicesOf(option).join(' '))}` : option.required ? ' -r' : '';
      lines.push(`complete -c ${name} ${when}${short} -l ${option.long!.slice(2)}${value} -d ${quote(option.description)}`);
    }
  }
  return `${lines.join('\n')}\n`;
}
