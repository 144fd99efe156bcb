/** The formats of `--output`, in a module of their own: `--help` lists them without loading the commands. */

/** How a status is printed: for people (`text`), or in its wire form as JSON or YAML. */
export type OutputFormat = 'text' | 'json' | 'yaml';

/** The choices of `--output`, the default first. */
export const OUTPUT_FORMATS: readonly OutputFormat[] = ['text', 'json', 'yaml'];
